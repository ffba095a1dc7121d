/**
 * Cited airframes, loadable by name. Every number has its source next to it;
 * where no public figure exists the value is marked as a Skylane assumption
 * with its reason.
 *
 * IRIS is PX4's SITL Iris quadrotor as modelled for Gazebo Classic in
 * PX4/PX4-SITL_gazebo-classic `models/iris/iris.sdf.jinja` (checked at commit
 * 568f5768): "SDF" below means that file. Its `motorConstant` is kf in
 * N/(rad/s)^2; its `momentConstant` is a torque-to-thrust ratio (m), which
 * the motor plugin multiplies by the thrust (Q = momentConstant * T), so
 * km = momentConstant * kf. An older `iris.sdf` in the same repository
 * (RotorS-era: motorConstant 8.54858e-06, momentConstant 0.16, max 838 rad/s,
 * other inertia) is not the one PX4 SITL uses today.
 *
 * CRAZYFLIE_2X is the Crazyflie 2.x of utiasDSL/gym-pybullet-drones
 * `gym_pybullet_drones/assets/cf2x.urdf` ("URDF") and its `BaseAviary`
 * ("BA"). The URDF's kf and km are per RPM^2 (BA: forces = rpm**2 * KF);
 * converted here with w [rad/s] = rpm * 2 pi / 60, i.e. multiplied by
 * (60 / (2 pi))^2 = 91.189. The URDF cites Förster, "System identification of
 * the Crazyflie 2.0 nano quadrocopter", ETH Zürich BSc thesis, 2015, for
 * these figures; we read them from the URDF, not from the thesis.
 */
import type { Vec3 } from '../../sim/math.ts';
import { assertAirframe, type Airframe } from './airframe.ts';

/** Air density at sea level, ISA (ISO 2533:1975), kg/m^3. */
export const AIR_DENSITY_ISA_KG_PER_M3 = 1.225;

/** rpm^2 -> (rad/s)^2 factor for coefficients quoted per RPM^2: (60 / 2 pi)^2. */
const PER_RPM2_TO_PER_RADPS2 = (60 / (2 * Math.PI)) ** 2;

/**
 * Parasitic drag of a bluff body: c_k = rho Cd A_k / 2 on the three faces of
 * the airframe's inertia box (A_x = width x height, A_y = length x height,
 * A_z = length x width). Skylane assumption for both airframes: neither
 * source models body drag (the SDF leaves `velocity_decay` empty, BA has
 * none) and no measurement was found. Cd = 1.05 is Hoerner's figure for a
 * cube face-on (S. F. Hoerner, "Fluid-Dynamic Drag", 1965, ch. 3); the box
 * encloses open space between the arms, so this is an upper bound.
 */
function boxDrag(lengthM: number, widthM: number, heightM: number): Vec3 {
  const k = 0.5 * AIR_DENSITY_ISA_KG_PER_M3 * 1.05;
  return [k * widthM * heightM, k * lengthM * heightM, k * lengthM * widthM];
}

const IRIS_KF = 5.84e-6; // SDF motorConstant, N/(rad/s)^2

export const IRIS: Airframe = {
  name: 'iris',
  label: 'PX4 SITL Iris (Gazebo Classic model)',
  // SDF base_link <mass>. The model's imu link (0.015 kg) and four rotor links
  // (0.005 kg each) add 0.035 kg that Gazebo also carries; left out, as PX4's
  // own hover-thrust figures for the Iris use 1.5 kg. Hover speed differs by 1.2 %.
  massKg: 1.5,
  inertiaKgM2: [0.029125, 0.029125, 0.055225], // SDF base_link ixx, iyy, izz
  rotors: [
    { positionM: [0.13, -0.22, 0.023], spin: 1 }, // SDF rotor_0 pose; motor 0 front_right, ccw
    { positionM: [-0.13, 0.2, 0.023], spin: 1 }, // SDF rotor_1 pose; motor 1 back_left, ccw
    { positionM: [0.13, 0.22, 0.023], spin: -1 }, // SDF rotor_2 pose; motor 2 front_left, cw
    { positionM: [-0.13, -0.2, 0.023], spin: -1 }, // SDF rotor_3 pose; motor 3 back_right, cw
  ],
  rotorRadiusM: 0.128, // SDF rotor_i collision cylinder radius
  thrustCoeffNPerRadPerS2: IRIS_KF,
  torqueCoeffNmPerRadPerS2: 0.06 * IRIS_KF, // SDF momentConstant 0.06 m x motorConstant = 3.504e-7
  motorTauUpS: 0.0125, // SDF timeConstantUp
  motorTauDownS: 0.025, // SDF timeConstantDown
  maxRotorRadPerS: 1100, // SDF maxRotVelocity
  // SDF rotorDragCoefficient: the Gazebo motor plugin applies
  // -|w| * rotorDragCoefficient * v_perp at each rotor, the form used here.
  rotorDragCoeffNsPerRadM: 0.000175,
  bodyDragCoeffNs2PerM2: boxDrag(0.47, 0.47, 0.11), // see boxDrag: assumption; box = SDF collision box
  color: '#4a4f57',
};

const CF_KF = 3.16e-10 * PER_RPM2_TO_PER_RADPS2; // URDF kf 3.16e-10 N/rpm^2 -> 2.8816e-8 N/(rad/s)^2
const CF_MASS_KG = 0.027; // URDF base_link <mass>
const CF_ARM_XY_M = 0.028; // URDF prop0..3_link origins at (+-0.028, +-0.028, 0): arm 0.0397 m at 45 deg
const CF_THRUST_TO_WEIGHT = 2.25; // URDF thrust2weight

export const CRAZYFLIE_2X: Airframe = {
  name: 'crazyflie2x',
  label: 'Bitcraze Crazyflie 2.x (gym-pybullet-drones cf2x)',
  massKg: CF_MASS_KG,
  inertiaKgM2: [1.4e-5, 1.4e-5, 2.17e-5], // URDF base_link ixx, iyy, izz
  // BA: z_torque = -Q0 + Q1 - Q2 + Q3, so rotors 0 and 2 push the body -z
  // (counter-clockwise rotors in our convention) and 1 and 3 push it +z.
  rotors: [
    { positionM: [CF_ARM_XY_M, CF_ARM_XY_M, 0], spin: 1 }, // URDF prop0_link
    { positionM: [-CF_ARM_XY_M, CF_ARM_XY_M, 0], spin: -1 }, // URDF prop1_link
    { positionM: [-CF_ARM_XY_M, -CF_ARM_XY_M, 0], spin: 1 }, // URDF prop2_link
    { positionM: [CF_ARM_XY_M, -CF_ARM_XY_M, 0], spin: -1 }, // URDF prop3_link
  ],
  rotorRadiusM: 0.0231348, // URDF prop_radius 2.31348e-2 (later revisions of cf2x.urdf)
  thrustCoeffNPerRadPerS2: CF_KF,
  torqueCoeffNmPerRadPerS2: 7.94e-12 * PER_RPM2_TO_PER_RADPS2, // URDF km 7.94e-12 N m/rpm^2 -> 7.2404e-10
  // Neither the URDF nor BA models motor lag. Skylane assumption: the
  // first-order lag of Gazebo's multicopter motor model at its defaults
  // (gz-sim MulticopterMotorModel kDefaultTimeConstantUp = 1/80 s,
  // kDefaultTimeConstantDown = 1/40 s), which Bitcraze's own Gazebo model
  // (bitcraze/crazyflie-simulation simulator_files/gazebo/crazyflie/model.sdf)
  // inherits by not setting them.
  motorTauUpS: 1 / 80,
  motorTauDownS: 1 / 40,
  // BA: MAX_RPM = sqrt(thrust2weight * m g / (4 KF)); 2274 rad/s (21714 rpm) with g = 9.81.
  maxRotorRadPerS: Math.sqrt((CF_THRUST_TO_WEIGHT * CF_MASS_KG * 9.81) / (4 * CF_KF)),
  // URDF drag_coeff_xy 9.1785e-7; BA._drag multiplies it by the sum of the
  // rotor speeds in rad/s (2 pi rpm / 60) and the velocity: per rotor, the
  // same -|w| c v form as the Iris. The URDF's drag_coeff_z (10.311e-7) is
  // not used: our rotor drag acts in the rotor plane only.
  rotorDragCoeffNsPerRadM: 9.1785e-7,
  // See boxDrag (assumption). The inertia box of this airframe is 69 x 69 x 37 mm.
  bodyDragCoeffNs2PerM2: boxDrag(0.0694, 0.0694, 0.0374),
  color: '#c9ccd1',
};

/** Registry names, as a tuple for the scenario schema's enum (a test keeps it equal to AIRFRAMES' keys). */
export const AIRFRAME_NAMES = ['iris', 'crazyflie2x'] as const;

/** Every shipped airframe by its registry name. */
export const AIRFRAMES: Readonly<Record<string, Airframe>> = {
  [IRIS.name]: IRIS,
  [CRAZYFLIE_2X.name]: CRAZYFLIE_2X,
};

for (const a of Object.values(AIRFRAMES)) assertAirframe(a);

/** The airframe called `name`, or an error that lists the known names. */
export function airframeByName(name: string): Airframe {
  const a = Object.hasOwn(AIRFRAMES, name) ? AIRFRAMES[name] : undefined;
  if (!a) throw new Error(`Unknown airframe "${name}"; expected one of: ${Object.keys(AIRFRAMES).join(', ')}`);
  return a;
}

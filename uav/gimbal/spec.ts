/**
 * What a 3-axis gimbal is made of (issue #5 section 1), as plain data, and
 * the shipped preset: a GoPro-class brushless gimbal under a 3DR Iris.
 * Every figure cites its source beside it (SOURCES.md in this folder gives
 * the full references); where no source gives a figure the comment says it
 * is Skylane's assumption and why.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';

export interface LinkSpec {
  massKg: number;
  /** Principal inertia about the link's own centre of mass, link axes, kg m^2. */
  inertiaKgM2: Vec3;
  /** Residual imbalance: the link's centre of mass from the axes' meeting point O, link axes, m. */
  comOffsetM: Vec3;
}

export interface MotorSpec {
  /** Largest torque the driver can command, N m (current or voltage limit). */
  maxTorqueNm: number;
  /** Torque ripple: relative amplitude of the commutation ripple, 0..1. */
  rippleFraction: number;
  /** Ripple periods per mechanical revolution (6 per electrical period x pole pairs). */
  ripplePerRev: number;
  /** Cogging torque amplitude, N m (present with no current). */
  coggingNm: number;
  /** Cogging periods per revolution (the LCM of slots and poles). */
  coggingPerRev: number;
  /** Phase of the cogging profile, rad: cogging = coggingNm sin(coggingPerRev q + coggingPhaseRad). */
  coggingPhaseRad: number;
}

export interface JointSpec {
  /** Coulomb (dry) friction of the bearings, N m. */
  coulombNm: number;
  /** Viscous friction, N m s/rad. */
  viscousNmsPerRad: number;
  /** Stiffness of the cables crossing the joint, N m/rad, about `cableRestRad`. */
  cableStiffnessNmPerRad: number;
  cableRestRad: number;
  /** Joint angle limits, rad (mechanical stops; the angle is clamped and the rate zeroed there). */
  minRad: number;
  maxRad: number;
}

export interface EncoderSpec {
  bits: number;
  /** Output noise, RMS, rad. */
  noiseRad: number;
  /** Integral non-linearity, peak, rad (a once-per-revolution error). */
  inlRad: number;
}

export interface MountSpec {
  /** Mount point of the gimbal base in the airframe, airframe axes, m (where the base motion is taken). */
  positionM: Vec3;
  /** Base orientation in the airframe. */
  rotation: Quat;
  /** Natural frequency and damping ratio of the isolators, rotation and translation, with the gimbal's load. */
  rotationHz: number;
  rotationDamping: number;
  translationHz: number;
  translationDamping: number;
  /** The base plate below the isolators (moves with the mount, carries the yaw motor stator). */
  baseMassKg: number;
  baseInertiaKgM2: number;
}

/** Airframe vibration at the mount, per rotor harmonic (amplitudes at the mount before the isolators). */
export interface VibrationSpec {
  /** Linear acceleration amplitude per rotor at 1x shaft rate (imbalance), m/s^2. */
  shaftAccelMps2: number;
  /** Linear acceleration amplitude per rotor at the blade-pass rate and each of its harmonics, m/s^2. */
  bladePassAccelMps2: readonly number[];
  /** Angular rate amplitude per rotor at 1x shaft rate, rad/s. */
  shaftRateRadPerS: number;
  /** Angular rate amplitude per rotor at the blade-pass rate and its harmonics, rad/s. */
  bladePassRateRadPerS: readonly number[];
  bladesPerRotor: number;
}

export interface GimbalSpec {
  links: { yaw: LinkSpec; roll: LinkSpec; pitch: LinkSpec };
  /** Motor, joint and encoder per axis, in the order yaw, roll, pitch. */
  motors: readonly [MotorSpec, MotorSpec, MotorSpec];
  joints: readonly [JointSpec, JointSpec, JointSpec];
  encoders: readonly [EncoderSpec, EncoderSpec, EncoderSpec];
  mount: MountSpec;
  vibration: VibrationSpec;
  /** Dynamics substep rate, Hz (>= 1 kHz; an integer multiple of the physics rate and of the control rate). */
  substepHz: number;
  /** Controller and camera-IMU rate, Hz. */
  controlHz: number;
  gravityMps2: number;
}

const DEG = Math.PI / 180;

/** Box inertia about its centre, kg m^2: m (b^2 + c^2) / 12 per axis, for sides a (x), b (y), c (z) in m. */
export function boxInertia(massKg: number, a: number, b: number, c: number): Vec3 {
  return [(massKg * (b * b + c * c)) / 12, (massKg * (a * a + c * c)) / 12, (massKg * (a * a + b * b)) / 12];
}

/** One iPower GBM2804H-100T-class gimbal motor (see SOURCES.md). */
const GBM2804: MotorSpec = {
  maxTorqueNm: 0.035, // rated load 0.35 kg cm = 34.3 mN m at 0.8 A (iFlight GM2804H-100T listing); SOURCES.md
  rippleFraction: 0.01, // FOC residual ripple: Skylane assumption (no published figure); SOURCES.md
  ripplePerRev: 42, // 6 per electrical period x 7 pole pairs (12N14P)
  coggingNm: 0.0007, // 2 % of rated torque: Skylane assumption (no published figure); SOURCES.md
  coggingPerRev: 84, // LCM(12 slots, 14 poles)
  coggingPhaseRad: 0.7, // where the detents sit relative to the encoder zero (any value: the controller calibrates it)
};

const JOINT: Omit<JointSpec, 'minRad' | 'maxRad'> = {
  coulombNm: 0.0003, // miniature bearings < 0.5 g cm each (Dynaroll "Bearing Torque"), x grease and 2-4 bearings; SOURCES.md
  viscousNmsPerRad: 2e-4, // order of the GBM2804H-100T FOC preset (7.55e-4) and bearing pivots (5e-4); SOURCES.md
  cableStiffnessNmPerRad: 0.002, // a flexible flat cable to the camera: Skylane assumption; SOURCES.md
  cableRestRad: 0,
};

/**
 * Mechanical ranges, as DJI's Mavic 2 specifies them (tilt -135 to +45 deg: REP 103 pitch -45 to +135, positive
 * looking down; pan -100 to +100; roll +-45 is Skylane's reading of "mechanical range" for roll), with the pan widened to
 * +-160 deg, the range of GoPro-class handheld and drone gimbals with a slip-ring-free yaw (Skylane assumption).
 */
const YAW_JOINT: JointSpec = { ...JOINT, minRad: -160 * DEG, maxRad: 160 * DEG };
const ROLL_JOINT: JointSpec = { ...JOINT, minRad: -45 * DEG, maxRad: 45 * DEG };
const PITCH_JOINT: JointSpec = { ...JOINT, minRad: -45 * DEG, maxRad: 135 * DEG };

/** AMS AS5048A magnetic encoder: 14 bit (see SOURCES.md). */
const AS5048A: EncoderSpec = {
  bits: 14, // "14-bit resolution (0.0219 deg/LSB)" (ams AS5048A data sheet v1-06)
  noiseRad: 0.03 * DEG, // data sheet: output noise 0.06 deg RMS max; 0.03 typical (Skylane's reading)
  inlRad: 0.05 * DEG, // +-0.8 deg raw (data sheet), 0.05 deg after the usual linearisation table; SOURCES.md
};

/**
 * GoPro-class 3-axis gimbal on a 3DR Iris: a HERO-class camera on the pitch
 * link, GBM2804-class motors, AS5048A encoders, rubber-ball isolators.
 */
export const GOPRO_IRIS_GIMBAL: GimbalSpec = {
  links: {
    // Camera (HERO7-class, 0.12 kg, 62 x 45 x 33 mm, recalled spec) + pitch motor rotor and bracket (0.04 kg, assumption),
    // balanced to the axes (the tolerance draw leaves ~1 mm per axis; a 2 mm budget is usual); SOURCES.md.
    pitch: { massKg: 0.16, inertiaKgM2: boxInertia(0.16, 0.045, 0.07, 0.05), comOffsetM: [0, 0, 0] },
    // Pitch motor (GM2804H: 51 g) and the roll arm.
    roll: { massKg: 0.07, inertiaKgM2: boxInertia(0.07, 0.03, 0.1, 0.06), comOffsetM: [0, 0, 0] },
    // Roll motor and the yaw arm.
    yaw: { massKg: 0.08, inertiaKgM2: boxInertia(0.08, 0.1, 0.04, 0.08), comOffsetM: [0, 0, 0] },
  },
  motors: [GBM2804, GBM2804, GBM2804],
  joints: [YAW_JOINT, ROLL_JOINT, PITCH_JOINT],
  encoders: [AS5048A, AS5048A, AS5048A],
  mount: {
    positionM: [0.05, 0, -0.06],
    rotation: [0, 0, 0, 1],
    // Rubber-ball isolators: no data sheet; 15 Hz / 13 Hz rocking and zeta 0.1 ("the damping coefficient of (most)
    // vibration dampers is very low", STorM32 wiki), well below the 110 Hz 1x rotor line; SOURCES.md.
    rotationHz: 13,
    rotationDamping: 0.1,
    translationHz: 15,
    translationDamping: 0.1,
    baseMassKg: 0.05,
    baseInertiaKgM2: 3e-5,
  },
  // Per rotor, so four rotors at random phases give ~10 m/s^2 RMS per axis above 5 Hz at the mount (ArduPilot
  // "Measuring Vibration": an Iris shows VIBE "below 15m/s/s"), split 30 % / 50 % / 10 % of the power at 1x, blade
  // pass and twice blade pass; angular 0.1 rad/s RMS near blade pass (derived, no published figure); SOURCES.md.
  vibration: {
    shaftAccelMps2: 3.9,
    bladePassAccelMps2: [6.5, 2.9],
    shaftRateRadPerS: 0.04,
    bladePassRateRadPerS: [0.07, 0.03],
    bladesPerRotor: 2, // 10 x 4.7 two-blade props
  },
  substepHz: 2000,
  controlHz: 1000, // brushless gimbal controllers run their attitude loop at ~1 kHz: Skylane assumption; SOURCES.md
  gravityMps2: 9.81, // the physics backends' default
};

export const GIMBAL_MODELS = { 'gopro-iris': GOPRO_IRIS_GIMBAL } as const;
export type GimbalModelName = keyof typeof GIMBAL_MODELS;
export const GIMBAL_MODEL_NAMES = Object.keys(GIMBAL_MODELS) as GimbalModelName[];

/**
 * The plant as built: the data-sheet spec with manufacturing tolerance drawn
 * from `rng` (Skylane's assumptions, of the spread hobby parts show): bearing
 * friction and cable stiffness x U(0.7, 1.3), link inertias x U(0.9, 1.1),
 * the balancing residual + N(0, 1 mm) per axis of each link's centre of mass,
 * isolator frequencies x U(0.85, 1.15), motor torque limit x U(0.95, 1.05),
 * cogging amplitude x U(0.7, 1.3) and its phase + N(0, 0.1 rad).
 * Controllers are given the nominal spec, so their feed-forward is never exact.
 */
export function withTolerance(spec: GimbalSpec, rng: { uniform(a: number, b: number): number; normal(m?: number, s?: number): number }): GimbalSpec {
  const link = (l: LinkSpec): LinkSpec => {
    const k = rng.uniform(0.9, 1.1);
    return {
      massKg: l.massKg,
      inertiaKgM2: [l.inertiaKgM2[0] * k, l.inertiaKgM2[1] * k, l.inertiaKgM2[2] * k],
      comOffsetM: [l.comOffsetM[0] + rng.normal(0, 0.001), l.comOffsetM[1] + rng.normal(0, 0.001), l.comOffsetM[2] + rng.normal(0, 0.001)],
    };
  };
  const joint = (j: JointSpec): JointSpec => ({
    ...j,
    coulombNm: j.coulombNm * rng.uniform(0.7, 1.3),
    viscousNmsPerRad: j.viscousNmsPerRad * rng.uniform(0.7, 1.3),
    cableStiffnessNmPerRad: j.cableStiffnessNmPerRad * rng.uniform(0.7, 1.3),
  });
  // Cogging: amplitude x U(0.7, 1.3), and the detents 0.1 rad (electrical phase of the 84/rev profile) off the data sheet's:
  // an anticogging table calibrated on the bench is never exact.
  const motor = (m: MotorSpec): MotorSpec => ({ ...m, maxTorqueNm: m.maxTorqueNm * rng.uniform(0.95, 1.05), coggingNm: m.coggingNm * rng.uniform(0.7, 1.3), coggingPhaseRad: m.coggingPhaseRad + rng.normal(0, 0.1) });
  return {
    ...spec,
    links: { yaw: link(spec.links.yaw), roll: link(spec.links.roll), pitch: link(spec.links.pitch) },
    joints: [joint(spec.joints[0]), joint(spec.joints[1]), joint(spec.joints[2])],
    motors: [motor(spec.motors[0]), motor(spec.motors[1]), motor(spec.motors[2])],
    mount: { ...spec.mount, rotationHz: spec.mount.rotationHz * rng.uniform(0.85, 1.15), translationHz: spec.mount.translationHz * rng.uniform(0.85, 1.15) },
  };
}

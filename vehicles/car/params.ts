/**
 * Car parameter sets. One named production car per set, every number with its
 * source next to it; where no public figure exists the value is marked as a
 * Skylane assumption with its reason.
 *
 * BMW_320I is CommonRoad's "vehicle 2", a BMW 320i measured by the US DOT
 * (NHTSA VDANL data) and published in M. Althoff, G. Würsching, "CommonRoad:
 * Vehicle Models (version 2020a)", TU München, 2020, table 6, and in the
 * repository's `parameters_vehicle2` (commonroad-vehicle-models). Below,
 * "CR" means that table; the symbol after it is CommonRoad's name.
 */
export interface CarParams {
  /** Human-readable name of the car the numbers come from. */
  readonly name: string;
  /** Total vehicle mass; the raycast model puts all of it in the chassis (massless wheels). */
  readonly massKg: number;
  /** Centre of gravity to front axle, horizontal. */
  readonly cogToFrontAxleM: number;
  /** Centre of gravity to rear axle, horizontal. */
  readonly cogToRearAxleM: number;
  readonly trackFrontM: number;
  readonly trackRearM: number;
  /** Centre of gravity above the ground, at rest. */
  readonly cogHeightM: number;
  readonly bodyLengthM: number;
  readonly bodyWidthM: number;
  /** Bottom face of the collision box above the ground, at rest. */
  readonly bodyBottomM: number;
  /**
   * The greenhouse (cabin) on top of the lower body box, up to the roof:
   * length, width, and its centre's offset along body x. It carries no mass
   * to speak of (the chassis box holds the CoG where CommonRoad puts it); it
   * is there so that a car hides what stands behind it up to roof height,
   * from sensors and from line of sight, as a real car does.
   */
  readonly roofHeightM: number;
  readonly cabinLengthM: number;
  readonly cabinWidthM: number;
  readonly cabinCentreXM: number;
  readonly wheelRadiusM: number;
  readonly tyreWidthM: number;

  /** Drive force limit at the wheels (the friction/launch limit below `powerLimitSpeedMps`). */
  readonly maxDriveForceN: number;
  /** Power at the wheels: the drive force is also bounded by P / v. */
  readonly maxPowerW: number;
  /** Governed top speed: no drive force at or above it. */
  readonly maxSpeedMps: number;
  /** Share of the drive force on the front axle (0 = rear-wheel drive). */
  readonly driveFrontShare: number;
  /** Deceleration at full brake on dry asphalt; the brake force limit is m * this. */
  readonly maxBrakeDecelMps2: number;

  /** Road-wheel angle limit of the equivalent bicycle (single front wheel). */
  readonly maxSteerRad: number;
  readonly maxSteerRateRadPerS: number;

  /** Wheel rate of one front / rear corner, N/m. */
  readonly springRateFrontNPerM: number;
  readonly springRateRearNPerM: number;
  /** Damping rate of one front / rear corner, N s/m. */
  readonly damperRateFrontNsPerM: number;
  readonly damperRateRearNsPerM: number;
  /** Spring length with no load (the raycast model's rest length). */
  readonly suspensionRestLengthM: number;
  /** Allowed travel either side of the rest length. */
  readonly suspensionTravelM: number;
  /** Peak tyre-road friction coefficient, lateral (the raycast controller's `frictionSlip`). */
  readonly tyreFrictionMu: number;

  /** First-order lag of the drive force behind the throttle command. */
  readonly throttleTimeConstantS: number;
  /** First-order lag of the brake force behind the brake command. */
  readonly brakeTimeConstantS: number;
  /** First-order lag of the road-wheel angle behind the steering command (before the rate limit). */
  readonly steeringTimeConstantS: number;
}

const CR_MASS_KG = 1093.2952334674046; // CR m (MASS): 74.91452 lb s^2/ft
const CR_A_MAX_MPS2 = 11.5; // CR a_max: maximum absolute longitudinal acceleration
const CR_V_SWITCH_MPS = 7.319; // CR v_switch: above it a <= a_max * v_switch / v (power-limited)

export const BMW_320I: CarParams = {
  name: 'BMW 320i (CommonRoad vehicle 2)',
  massKg: CR_MASS_KG,
  cogToFrontAxleM: 1.1561957064, // CR a (LENA)
  cogToRearAxleM: 1.4227170936, // CR b (LENB); wheelbase a + b = 2.579 m
  trackFrontM: 1.38684, // CR T_f (TRWF)
  trackRearM: 1.36398, // CR T_r (TRWB)
  cogHeightM: 0.5748689544, // CR h_cg (HCG), centre of gravity of the total mass
  bodyLengthM: 4.508, // CR l (with US bumpers)
  bodyWidthM: 1.61, // CR w
  // Assumption: both wrappers put the centre of mass at the collider's centroid,
  // so the box is centred on the CoG and its height is 2 (h_cg - bottom); 0.2 m
  // keeps the box clear of the road under full-brake pitch (front dips ~0.1 m).
  bodyBottomM: 0.2,
  // BMW 3 Series sedans stand 1.39-1.45 m tall (G20: 1,433-1,445 mm, vehiclesizes.com; the E36 of
  // CommonRoad's era ~1.39 m, from memory): 1.42 m. The lower box ends at 2 h_cg - bottom = 0.95 m, about
  // the beltline. Greenhouse plan (2.6 x 1.4 m, centred 0.25 m behind the CoG): Skylane assumption from a
  // sedan's side view (windscreen base to rear-window base, tumblehome inside the body width).
  roofHeightM: 1.42,
  cabinLengthM: 2.6,
  cabinWidthM: 1.4,
  cabinCentreXM: -0.25,
  wheelRadiusM: 0.344, // CR R_w: effective rolling radius (ADAMS documentation)
  // Assumption: a 195-205 mm section, usual for this class; only drawn, not simulated.
  tyreWidthM: 0.2,

  // CR models the longitudinal limit as a <= a_max below v_switch and
  // a <= a_max v_switch / v above it: a force limit m a_max and a power limit
  // m a_max v_switch = 92 kW at the wheels. a_max is the tyres' limit, not the
  // drivetrain's, so launches are quicker than the real car's (see car.ts).
  maxDriveForceN: CR_MASS_KG * CR_A_MAX_MPS2,
  maxPowerW: CR_MASS_KG * CR_A_MAX_MPS2 * CR_V_SWITCH_MPS,
  maxSpeedMps: 50.8, // CR v_max
  driveFrontShare: 0, // CR T_se = 0: all engine torque on the rear axle (rear-wheel drive)
  // CR a_max = 11.5 m/s^2 = p_dx1 g (1.1739 x 9.81): the peak longitudinal
  // friction of CR's dry-road Pacejka tyre data.
  maxBrakeDecelMps2: CR_A_MAX_MPS2,
  // CR's fixed brake split T_sb = 0.66 is not used: at a_max it asks the rear
  // tyres for 1.8x what their dynamically unloaded share can give (they would
  // lock). car.ts distributes the brake force like EBD/ABS instead (ideal
  // distribution for the demanded deceleration).

  maxSteerRad: 1.066, // CR steering max (delta_max)
  maxSteerRateRadPerS: 0.4, // CR steering v_max (v_delta_max)

  springRateFrontNPerM: 24453.137879749014, // CR K_sf (KSF): 1675 lbf/ft
  springRateRearNPerM: 19635.504745231297, // CR K_sr (KSR): 1345 lbf/ft
  damperRateFrontNsPerM: 1786.2441002440723, // CR K_sdf (KSDF); damping ratio ~0.35 at the corner mass
  damperRateRearNsPerM: 1649.0833034887382, // CR K_sdr (KSDR)
  // Assumptions (CR gives no free length or travel): the static sag is
  // ~0.12 m at these rates, so a 0.30 m free length leaves 0.18 m at rest, and
  // 0.25 m of travel allows 0.13 m of bump beyond static before the stop.
  suspensionRestLengthM: 0.3,
  suspensionTravelM: 0.25,
  tyreFrictionMu: 1.0489, // CR tire p_dy1: lateral friction mu_y at the nominal load

  // Autoware simple_planning_simulator defaults (README parameter table):
  // acc_time_constant 0.1 s and steer_time_constant 0.27 s, first-order
  // models identified for its production-car platforms. The acceleration lag
  // covers drive and brake alike.
  throttleTimeConstantS: 0.1,
  brakeTimeConstantS: 0.1,
  steeringTimeConstantS: 0.27,
};

/** Wheelbase, front to rear axle. */
export function wheelbaseM(p: CarParams): number {
  return p.cogToFrontAxleM + p.cogToRearAxleM;
}

/**
 * Density of the cabin collider, kg/m^3: 1 % of the chassis box's default
 * 1000 (the mass override rescales both alike). The 1.7 m^3 cabin then holds
 * ~3 kg of the 1,093 kg, 0.6 m above the CoG: the centre of mass moves by
 * ~2 mm, so the dynamics stay CommonRoad's while the car's silhouette blocks
 * rays up to the roof.
 */
export const CABIN_DENSITY_KG_PER_M3 = 10;

/** The cabin box: half extents and offset from the CoG (body frame). */
export function cabinBox(p: CarParams): { halfExtents: [number, number, number]; offset: [number, number, number] } {
  const beltline = 2 * p.cogHeightM - p.bodyBottomM;
  const halfZ = (p.roofHeightM - beltline) / 2;
  return { halfExtents: [p.cabinLengthM / 2, p.cabinWidthM / 2, halfZ], offset: [p.cabinCentreXM, 0, beltline + halfZ - p.cogHeightM] };
}

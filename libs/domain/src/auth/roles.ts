/** Who may do what is declared per route in the api; these are the roles it can name. */
export const ROLES = ['admin', 'planner', 'technician', 'mentor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may change the status of segments and nodes in the field. */
export const FIELD_ROLES: Role[] = ['admin', 'planner', 'technician'];

import { FIELD_ROLES as FIELD_ROLE_LIST } from '@serat/contract';

/**
 * Who may do what is declared per route in the api; these are the roles it can name (the contract
 * holds them: the web app shows and checks the same ones).
 */
export { ROLES, type Role } from '@serat/contract';

/** Roles that may change the status of segments and nodes in the field. */
export const FIELD_ROLES = [...FIELD_ROLE_LIST];

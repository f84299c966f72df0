/** Role names for the header: the API's own table (src/auth/roles.ts is pure data). */
export { ROLE_LABELS } from '../../src/auth/roles.ts';

/** Role names for the header: the API's own table (src/kernel/access/roles.ts is pure data). */
export { ROLE_LABELS } from '../../src/kernel/access/roles.ts';

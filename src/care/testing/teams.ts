/** Fixtures for care-team tests: a complete team, one member per role. */
import type { MemberInput } from '../core/team-model.ts';

export const fullTeam = (): MemberInput[] => [
  { role: 'village_head', name: '张主任', contact: '13900000001' },
  { role: 'guardian', name: '王大', contact: '13900000009' },
  { role: 'specialist', name: '刘专干', contact: '13900000003' },
  { role: 'medical_staff', name: '李医生', contact: '13900000004' },
  { role: 'police_officer', name: '赵警官', contact: '13900000005' },
  { role: 'disabled_federation', name: '孙理事', contact: '13900000006' },
  { role: 'civil_affairs', name: '周干事', contact: '13900000007' },
];

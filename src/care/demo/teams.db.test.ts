/**
 * The demo county's care teams and the batch commands (docs/care-teams.md §8): the demo forms a
 * team per severe-mental patient with a year of visits and unstable episodes, settles the
 * rehabilitation hospital's waived stays; the register import forms teams row by row and rejects
 * the rest naming the column; the overdue list is written as XLSX.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { PEOPLE, seedPeople } from '../../auth/testing/accounts.ts';
import type { CliIo } from '../../cli/command.ts';
import { seedRegions } from '../../registry/testing/db.ts';
import { importTeams } from '../team-cli.ts';
import { CareTeamService } from '../team-service.ts';
import { loadCareTeamsDemo } from './teams.ts';

const io = (cwd: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const c: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tty: false,
    env: {},
    cwd,
  };
  return { io: c, out, err };
};

describeDb('care teams demo and batch import', (ctx) => {
  beforeAll(async () => {
    await seedRegions(ctx.db);
    await seedPeople(ctx.db);
    await ctx.db.query(
      `INSERT INTO person_flag (certno, category, from_month, source)
       VALUES ($1, 'mental_aid_card', '2022-01', 'medical_security')`,
      [PEOPLE.own],
    );
  });

  it('imports the register: a row per team, a bad row rejected naming its column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'care-'));
    const header =
      '身份证号,姓名,组建或变更日期,组长（村委会主任）姓名,组长（村委会主任）电话,监护人姓名,监护人电话,派出所民警姓名,派出所民警电话';
    writeFileSync(
      join(dir, 'teams.csv'),
      [
        header,
        `${PEOPLE.own},王秀英,2022-02-01,张主任,13900000001,王大,13900000002,赵警官,13900000005`,
        `${PEOPLE.plain},张伟,2022-02-01,李主任,13900000011,,,,`,
        `${PEOPLE.other},李建国,2022-02-01,,,王二,13900000012,,`,
      ].join('\n'),
    );
    const t = io(dir);
    const code = await importTeams(new CareTeamService(ctx.db), t.io, 'teams.csv', undefined);
    expect(code).toBe(1);
    expect(JSON.parse(t.out[0]!)).toMatchObject({ rowsRead: 3, imported: 1, rejected: 2 });
    const rejects = readFileSync(join(dir, 'teams.csv.rejects.csv'), 'utf8');
    expect(rejects).toContain('care.not_registered');
    expect(rejects).toContain('组长（村委会主任）姓名');
    expect(t.err.join('\n')).toContain('care teams: 100%');
  });

  it('loads the demo teams, visits, unstable episodes and waived stays', async () => {
    const t = io(tmpdir());
    const demo = await loadCareTeamsDemo(ctx.db, { seed: 1, year: 2022 }, t.io);
    // PEOPLE.own has its imported team already; nobody else is registered.
    expect(demo.teams).toBe(0);
    await ctx.db.query('DELETE FROM care_team_member');
    await ctx.db.query('DELETE FROM care_team');
    const fresh = await loadCareTeamsDemo(ctx.db, { seed: 1, year: 2022 }, t.io);
    expect(fresh.teams).toBe(1);
    expect(fresh.visits).toBeGreaterThan(3);
    expect(fresh.waived).toBe(1);
    const members = await ctx.db.query('SELECT count(*)::int AS n FROM care_team_member');
    expect((members.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(7);
  });
});

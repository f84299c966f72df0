/**
 * Loading packs from `policies/<pack>/`. Every file is read and checked before the pack is
 * refused, so a staffer sees every mistake of an edit at once, each with file, line and key.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { invalid, notFound } from '../kernel/errors.ts';
import { fromPackageRoot } from '../kernel/package-root.ts';
import type { PackSummary, PolicyPack } from './model.ts';
import { PackError, problemAt, issuesToProblems, type Problem } from './problems.ts';
import {
  PACK_FILES,
  backstopFile,
  basicFile,
  cumulativeFile,
  diseasesFile,
  packFile,
  packWideFile,
} from './schema.ts';
import { readYamlSource, type YamlSource } from './yaml-source.ts';
import { buildHead, buildSevereMental } from './build-pack.ts';
import { buildBasic } from './build-basic.ts';
import { buildCumulative } from './build-cumulative.ts';
import { buildBackstop } from './build-backstop.ts';
import { buildPackWide } from './build-pack-wide.ts';
import { buildDiseases } from './build-diseases.ts';
import { buildCoverage } from './build-coverage.ts';
import { coverageFile } from './schema-coverage.ts';
import { applicationsFile, buildApplications } from './build-applications.ts';
import { buildPayment, paymentFile } from './build-payment.ts';
import { at, report, type BuildContext } from './build-common.ts';
import { VISIT_TYPES } from './types.ts';

/** The package's `policies/` folder, whatever the working directory. */
export const DEFAULT_ROOT = fromPackageRoot('policies');

export interface LoadOptions {
  root?: string;
}

export const PACK_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** The folder of a pack; a name that is not a plain folder name is refused (no `../`). */
export async function packDir(name: string, opts: LoadOptions = {}): Promise<string> {
  if (!PACK_NAME_RE.test(name)) {
    throw invalid(
      'policy.bad_pack_name',
      'pack',
      `政策包名无效：${name}（只能含小写字母、数字、-、_）`,
      `not a pack name: ${name} (lower-case letters, digits, - and _)`,
    );
  }
  const dir = join(opts.root ?? DEFAULT_ROOT, name);
  const isPack = await stat(join(dir, PACK_FILES.pack)).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isPack) {
    throw notFound('policy.pack_not_found', 'pack', `没有政策包 ${name}`, `no policy pack ${name}`);
  }
  return dir;
}

export async function loadPack(name: string, opts: LoadOptions = {}): Promise<PolicyPack> {
  const dir = await packDir(name, opts);
  const problems: Problem[] = [];
  const read = (file: string) => readYamlSource(dir, file, problems);
  const [packSrc, basicSrc, ciSrc, maSrc, raSrc, bsSrc, pwSrc, dsSrc, cvSrc, apSrc] =
    await Promise.all([
      read(PACK_FILES.pack),
      read(PACK_FILES.basic),
      read(PACK_FILES.criticalIllness),
      read(PACK_FILES.assistance),
      read(PACK_FILES.reAssistance),
      read(PACK_FILES.backstop),
      read(PACK_FILES.packWide),
      readCatalogue(dir, problems),
      read(PACK_FILES.coverage),
      read(PACK_FILES.applications),
    ]);
  const pySrc = await readOptional(dir, PACK_FILES.payment, problems);
  const rawPack = validate(packFile, packSrc, problems);
  const rawBasic = validate(basicFile, basicSrc, problems);
  const rawCi = validate(cumulativeFile, ciSrc, problems);
  const rawMa = validate(cumulativeFile, maSrc, problems);
  const rawRa = validate(cumulativeFile, raSrc, problems);
  const rawBs = validate(backstopFile, bsSrc, problems);
  const rawPw = validate(packWideFile, pwSrc, problems);
  const rawDs = validate(diseasesFile, dsSrc, problems);
  const rawCv = validate(coverageFile, cvSrc, problems);
  const rawAp = validate(applicationsFile, apSrc, problems);
  const rawPy = pySrc && validate(paymentFile, pySrc, problems);
  if (!rawPack) throw new PackError(name, sortProblems(problems));

  // Build every file that is in shape, so rules across keys are reported along with shapes.
  const head = buildHead(name, packSrc, rawPack, problems);
  const ctx: BuildContext = {
    validity: head.validity,
    categorySets: head.categorySets,
    problems,
    params: [],
    settings: [],
  };
  const severeMentalDiagnosis = buildSevereMental(ctx, packSrc, rawPack);
  const basic = rawBasic && buildBasic(ctx, basicSrc, rawBasic);
  const criticalIllness = rawCi && buildCumulative(ctx, ciSrc, rawCi);
  const assistance = rawMa && buildCumulative(ctx, maSrc, rawMa);
  const reAssistance = rawRa && buildCumulative(ctx, raSrc, rawRa);
  const backstop = rawBs && buildBackstop(ctx, bsSrc, rawBs);
  const packWide = rawPw && buildPackWide(ctx, pwSrc, rawPw);
  const diseases = rawDs && buildDiseases(ctx, dsSrc, rawDs, severeMentalDiagnosis);
  const coverage = rawCv && buildCoverage(ctx, cvSrc, rawCv);
  const applications = rawAp && buildApplications(ctx, apSrc, rawAp, diseases || []);
  const payment = pySrc && rawPy ? buildPayment(ctx, pySrc, rawPy) : null;
  if (
    !basic ||
    !criticalIllness ||
    !assistance ||
    !reAssistance ||
    !backstop ||
    !packWide ||
    !diseases ||
    !coverage ||
    !applications
  ) {
    throw new PackError(name, sortProblems(problems));
  }
  const pack: PolicyPack = {
    ...head,
    dir,
    severeMentalDiagnosis,
    basic,
    criticalIllness,
    assistance,
    reAssistance,
    backstop,
    packWide,
    diseases,
    coverage,
    applications,
    payment,
    params: ctx.params,
    settings: ctx.settings,
  };
  const programmes = pack.packWide.programmes.map((p) => p.code);
  if (!programmes.includes(pack.backstop.programme)) {
    report(
      ctx,
      at(bsSrc, 'programme'),
      `unknown programme "${pack.backstop.programme}" (pack_wide.yaml programmes: ${programmes.join(', ')})`,
      `未知的救助项目 "${pack.backstop.programme}"（pack_wide.yaml 中的项目：${programmes.join('、')}）`,
    );
  }
  const special = diseases.find((d) => d.kind === 'special' && !d.severeMental);
  if (special && !basic.visitTypes.chronic_outpatient.specialDisease) {
    report(
      ctx,
      at(basicSrc, 'chronic_outpatient'),
      `special disease ${special.code} (diseases.yaml) needs chronic_outpatient.special_disease: how a special disease is paid`,
      `特殊病 ${special.code}（diseases.yaml）需要 chronic_outpatient.special_disease：特殊病的支付规则`,
    );
  }
  if (problems.length > 0) throw new PackError(name, sortProblems(problems));
  return pack;
}

/**
 * Every pack serves chronic_outpatient (basic.yaml must define it), and a chronic visit is paid
 * only for a disease of the catalogue, so a missing catalogue is said as such.
 */
async function readCatalogue(dir: string, problems: Problem[]): Promise<YamlSource> {
  const own: Problem[] = [];
  const src = await readYamlSource(dir, PACK_FILES.diseases, own);
  for (const p of own) {
    problems.push(
      p.message === 'file is missing'
        ? {
            ...p,
            message:
              'the pack serves chronic_outpatient but has no disease catalogue (diseases.yaml)',
            zh: '政策包支付门诊慢特病，却没有病种目录（diseases.yaml）',
          }
        : p,
    );
  }
  return src;
}

/** payment.yaml is optional: a pack without it pays every institution by item. */
async function readOptional(
  dir: string,
  file: string,
  problems: Problem[],
): Promise<YamlSource | null> {
  const own: Problem[] = [];
  const src = await readYamlSource(dir, file, own);
  if (own.length === 1 && own[0]?.message === 'file is missing') return null;
  problems.push(...own);
  return src;
}

/** Summaries of the packs under the root, fixtures and drafts left out unless asked for. */
export async function listPacks(
  opts: LoadOptions & { includeFixtures?: boolean; includeDrafts?: boolean } = {},
): Promise<PackSummary[]> {
  const root = opts.root ?? DEFAULT_ROOT;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const out: PackSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !PACK_NAME_RE.test(entry.name)) continue;
    const dir = join(root, entry.name);
    const problems: Problem[] = [];
    const src = await readYamlSource(dir, PACK_FILES.pack, problems);
    if (src.data === undefined && problems.every((p) => p.message === 'file is missing')) continue;
    const raw = validate(packFile, src, problems);
    const head = raw ? buildHead(entry.name, src, raw, problems) : null;
    if (!head || problems.length > 0) throw new PackError(entry.name, problems);
    if (head.fixture && !opts.includeFixtures) continue;
    if (head.draft && !opts.includeDrafts) continue;
    out.push(summarize(head));
  }
  return out.sort(
    (a, b) =>
      a.region.localeCompare(b.region) ||
      a.validity.from.localeCompare(b.validity.from) ||
      a.name.localeCompare(b.name),
  );
}

/** Just the summary fields of a pack or pack head. */
export const summarize = (p: PackSummary): PackSummary => ({
  name: p.name,
  title: p.title,
  region: p.region,
  scheme: p.scheme,
  validity: p.validity,
  fixture: p.fixture,
  draft: p.draft,
  basedOn: p.basedOn,
});

/** Every pack (fixtures left out unless asked for), loaded and checked. */
export async function loadPacks(
  opts: LoadOptions & { includeFixtures?: boolean } = {},
): Promise<PolicyPack[]> {
  const summaries = await listPacks(opts);
  return Promise.all(summaries.map((s) => loadPack(s.name, opts)));
}

function validate<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
  problems: Problem[],
): z.output<S> | null {
  if (source.data === undefined) return null;
  const r = schema.safeParse(source.data, { reportInput: true });
  if (r.success) return r.data;
  problems.push(...issuesToProblems(source, r.error.issues, unknownKeyHint(source)));
  return null;
}

/** In basic.yaml the top-level keys are visit types, so an unknown one is most likely a typo. */
const unknownKeyHint =
  (source: YamlSource) =>
  (path: readonly (string | number)[], key: string): Problem | null =>
    source.file === PACK_FILES.basic && path.length === 0
      ? problemAt(
          source,
          [key],
          `unknown visit type or key "${key}" (visit types: ${VISIT_TYPES.join(', ')}; keys: cap_groups, tilts, remote)`,
          `未知的就诊类型或键 "${key}"（就诊类型：${VISIT_TYPES.join('、')}；键：cap_groups、tilts、remote）`,
        )
      : null;

const FILE_ORDER: string[] = Object.values(PACK_FILES);

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => FILE_ORDER.indexOf(a.file) - FILE_ORDER.indexOf(b.file) || a.line - b.line,
  );
}

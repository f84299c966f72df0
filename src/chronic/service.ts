/**
 * The 门诊慢特病 workflow (docs/chronic.md §6–§13): applications and their documents, expert
 * review, certificates, two-diseases filings, the national 2503/2504 and the person's summary.
 * Each change is one transaction that locks the person first (one writer of a person's chronic
 * records at a time), reads in the caller's data scope (404 outside it), lets the pure rules of
 * core/ decide, writes, and appends an audit entry with the record before and after.
 */
import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/index.ts';
import type { Actor, DataScope } from '../kernel/access/actor.ts';
import { sqlState, type Db, type Queryable } from '../db/db.ts';
import { notFound, TriguardError, unprocessable } from '../kernel/errors.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { PolicyPack, TwoDiseaseName } from '../policy/index.ts';
import { localDate } from '../kernel/clock.ts';
import { personNotFound } from '../registry/index.ts';
import { channelFor, isBureau, townshipOf } from './core/actor.ts';
import {
  applicationClosed,
  checkNewApplication,
  decide,
  isOpen,
  type DecisionInput,
} from './core/application.ts';
import { checkAttachment } from './core/attachment.ts';
import {
  catalogueOf,
  cataloguePack,
  meaningOf,
  missingDocuments,
  type Catalogue,
} from './core/catalogue.ts';
import { certificateNumber, checkEndDate, diseaseToEnd } from './core/certificate.ts';
import {
  describeApplication,
  describeCertificate,
  lookupIn,
  type DiseaseLookup,
} from './core/describe.ts';
import { checkFilingDiagnosis, checkFilingEnd, checkNoOverlap } from './core/filing.ts';
import type {
  Application,
  ApplicationRow,
  AttachmentKind,
  AttachmentMeta,
  Certificate,
  CertificateRow,
  Channel,
  EndReason,
  Filing,
  FilingEndReason,
  FilingSource,
  PersonChronic,
} from './core/model.ts';
import {
  applicationByGatewaySn,
  applicationOwner,
  applicationsOf,
  findApplication,
  findAttachment,
  insertApplication,
  insertAttachment,
  insertReview,
  listApplications,
  pendingDiseases,
  setStatus,
  updateDisease,
  type ApplicationFilter,
  type AttachmentFile,
} from './repo/applications.ts';
import {
  endCertificateDisease,
  findCertificate,
  insertCertificate,
  insertCertificateDisease,
  listCertificates,
  nextCertificateSerial,
  ownersOfNumbers,
  certificatesOf,
  reopenCertificateDisease,
  type CertificateFilter,
} from './repo/certificates.ts';
import {
  endFiling,
  filingBySn,
  filingsOf,
  findFiling,
  findInstitution,
  healthCentresOf,
  insertFiling,
  listFilings,
  primaryCareIn,
  screeningNotesOf,
  type FilingFilter,
  type InstitutionRow,
} from './repo/filings.ts';
import { findPerson, lockPeople, lockPersonRow, type PersonRow } from './repo/persons.ts';
import type { CertificateImportRow, FilingImportRow, RowProblem } from './import/parse.ts';
import { regionName } from './repo/regions.ts';
import type { Page } from './repo/sql.ts';

export interface ApplicationInput {
  certno: string;
  diseases: { disease: string; diagnosis?: string | null | undefined }[];
  acceptedOn?: IsoDate | undefined;
  documentsDue?: IsoDate | null | undefined;
  onsite?: boolean | undefined;
  note?: string | null | undefined;
  channel?: Channel | undefined;
}

export interface FilingInput {
  certno: string;
  disease: TwoDiseaseName;
  diagnosis: string;
  fixmedinsCode?: string | null | undefined;
  validFrom?: IsoDate | undefined;
}

export interface AttachmentUpload {
  kind: AttachmentKind;
  fileName: string;
  content: Buffer;
  /** The upload was cut off at the size limit. */
  truncated: boolean;
}

/** What a national 2503 filing asks for (docs/chronic.md §12). */
export interface GatewayFiling {
  certno: string;
  nationalCode: string;
  nationalName: string;
  begndate: IsoDate;
  enddate: IsoDate | null;
  fixmedinsCode: string;
  /** The gateway's serial number of the filing (trt_dcla_detl_sn). */
  sn: string;
  /** The message's date: the day the bureau received it. */
  date: IsoDate;
}

export type GatewayOutcome = { kind: 'application'; id: number } | { kind: 'filing'; id: number };

export const applicationNotFound = (id: number) =>
  notFound(
    'chronic.application_not_found',
    'id',
    `没有这份慢特病申请（或不在您的数据范围内）：${id}`,
    `no such application (or outside your data scope): ${id}`,
  );

export const noCertificate = (certno: string) =>
  notFound(
    'chronic.no_certificate',
    'certno',
    `参保人 ${certno.slice(0, 6)}… 没有门诊慢特病证`,
    `the person ${certno.slice(0, 6)}… holds no chronic-disease certificate`,
  );

const filingNotFound = (id: number) =>
  notFound(
    'chronic.filing_not_found',
    'id',
    `没有这条两病备案（或不在您的数据范围内）：${id}`,
    `no such two-diseases filing (or outside your data scope): ${id}`,
  );

/** The notice's facts (告知书回执): what was refused, why, and what was approved. */
export interface NoticeFacts {
  application: Application;
  bureau: string;
  decidedOn: IsoDate | null;
}

export interface CertificateFacts {
  certificate: Certificate;
  bureau: string;
  today: IsoDate;
}

export class ChronicService {
  constructor(
    private readonly db: Db,
    private readonly packs: readonly PolicyPack[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): IsoDate {
    return localDate(this.now());
  }

  // ---- the catalogue (§6) ----------------------------------------------------------------

  /** The county a caller works in; the system actor reads the first county's packs. */
  countyOf(actor: Actor): string {
    if (actor.scope.kind !== 'system') return actor.scope.regionCode.slice(0, 6);
    const first = this.packs.find((p) => !p.fixture);
    if (!first) throw notFound('chronic.no_catalogue', null, '没有政策包', 'no policy pack');
    return first.region;
  }

  catalogue(county: string, date: IsoDate, field = 'date'): { pack: PolicyPack; cat: Catalogue } {
    try {
      const pack = cataloguePack(this.packs, county, date);
      return { pack, cat: catalogueOf(pack, date) };
    } catch (e) {
      if (e instanceof TriguardError && field !== 'date') {
        throw unprocessable(e.code, field, e.messages.zh, e.messages.en);
      }
      throw e;
    }
  }

  /** The caller's catalogue on `date` (default today). */
  catalogueFor(actor: Actor, date?: IsoDate): Catalogue {
    return this.catalogue(this.countyOf(actor), date ?? this.today()).cat;
  }

  /** Names of diseases: the county's catalogue on `date` first, then its other packs. */
  private lookup(county: string, date: IsoDate): DiseaseLookup {
    const own = this.packs.filter((p) => p.region === county && !p.fixture);
    const first = (() => {
      try {
        return [cataloguePack(this.packs, county, date)];
      } catch {
        return [];
      }
    })();
    const ordered = [...first, ...own.filter((p) => !first.includes(p))];
    return lookupIn(ordered.map((p) => catalogueOf(p, date)));
  }

  private describe(row: ApplicationRow): Application {
    const county = row.regionCode.slice(0, 6);
    let cat: Catalogue;
    try {
      cat = this.catalogue(county, row.acceptedOn).cat;
    } catch {
      // No catalogue for that day any more: nothing is known to be missing.
      cat = {
        pack: '',
        date: row.acceptedOn,
        reviewSteps: 1,
        documents: [],
        diseases: [],
        twoDiseases: { hypertension: [], diabetes: [] },
      };
    }
    return describeApplication(row, cat, this.lookup(county, row.acceptedOn));
  }

  private describeCertificate(row: CertificateRow): Certificate {
    return describeCertificate(row, this.lookup(row.regionCode.slice(0, 6), this.today()));
  }

  // ---- applications (§7) -----------------------------------------------------------------

  async createApplication(actor: Actor, input: ApplicationInput): Promise<Application> {
    const channel = channelFor(actor, input.channel);
    const today = this.today();
    const acceptedOn = input.acceptedOn ?? today;
    return this.db.transaction(async (tx) => {
      const person = await this.lockPerson(tx, actor.scope, input.certno);
      return this.applyIn(tx, actor, person, {
        ...input,
        channel,
        acceptedOn,
        fixmedinsCode: actor.scope.kind === 'institution' ? actor.scope.fixmedinsCode : null,
        gatewaySn: null,
        forceReview: false,
      });
    });
  }

  private async applyIn(
    tx: Queryable,
    actor: Actor,
    person: PersonRow,
    a: ApplicationInput & {
      channel: Channel;
      acceptedOn: IsoDate;
      fixmedinsCode: string | null;
      gatewaySn: string | null;
      /** A hospital's 2503 stands for its records: to review at once (§12). */
      forceReview: boolean;
    },
  ): Promise<Application> {
    const { pack, cat } = this.catalogue(person.regionCode.slice(0, 6), a.acceptedOn, 'acceptedOn');
    const certificate = await findCertificate(tx, { kind: 'system' }, person.certno);
    const certified = new Set(
      (certificate?.diseases ?? [])
        .filter((d) => d.endedReason === null && (d.validTo === null || d.validTo >= a.acceptedOn))
        .map((d) => d.disease),
    );
    const diseases = a.diseases.map((d) => ({
      disease: d.disease,
      diagnosis: d.diagnosis ?? null,
    }));
    const checked = checkNewApplication(
      {
        diseases,
        acceptedOn: a.acceptedOn,
        documentsDue: a.documentsDue ?? null,
        // A gateway filing is reviewed on the hospital's records, like an on-site assessment.
        onsite: (a.onsite ?? false) || a.forceReview,
      },
      pack,
      cat,
      {
        deathDate: person.status === 'deceased' ? person.deathDate : null,
        certified,
        pending: await pendingDiseases(tx, person.certno),
      },
      this.today(),
    );
    const status = checked.status;
    const id = await insertApplication(tx, {
      certno: person.certno,
      regionCode: person.regionCode,
      channel: a.channel,
      fixmedinsCode: a.fixmedinsCode,
      status,
      acceptedOn: a.acceptedOn,
      documentsDue: checked.documentsDue,
      onsite: a.onsite ?? false,
      reviewSteps: cat.reviewSteps,
      note: a.note ?? null,
      gatewaySn: a.gatewaySn,
      createdBy: actor.id,
      diseases,
    });
    const created = await this.reread(tx, id);
    await appendAudit(tx, {
      actor,
      action: 'chronic.application.create',
      entity: 'chronic_application',
      entityId: String(id),
      certno: person.certno,
      after: created,
    });
    return created;
  }

  async listApplications(
    actor: Actor,
    filter: ApplicationFilter,
    page: Page,
  ): Promise<{ items: Application[]; total: number }> {
    const r = await listApplications(this.db, actor.scope, filter, page);
    return { items: r.items.map((a) => this.describe(a)), total: r.total };
  }

  /** The review queue (§8): applications under review with a disease this reviewer may decide. */
  reviewQueue(actor: Actor, regionCode: string | undefined, page: Page) {
    return this.listApplications(actor, { regionCode, queueFor: actor.id }, page);
  }

  async application(actor: Actor, id: number): Promise<Application> {
    const row = await findApplication(this.db, actor.scope, id);
    if (!row) throw applicationNotFound(id);
    return this.describe(row);
  }

  /** Adds a document; the last missing one moves an incomplete application to review (§7). */
  async addAttachment(actor: Actor, id: number, upload: AttachmentUpload): Promise<AttachmentMeta> {
    const mediaType = checkAttachment(upload.content, upload.truncated);
    return this.withApplication(actor, id, async (tx, app) => {
      if (!isOpen(app.status)) throw applicationClosed(app.status);
      const meta = await insertAttachment(tx, {
        certno: app.certno,
        applicationId: app.id,
        kind: upload.kind,
        fileName: upload.fileName,
        mediaType,
        sha256: createHash('sha256').update(upload.content).digest('hex'),
        content: upload.content,
        uploadedBy: actor.id,
      });
      const audit = (
        action: string,
        entity: string,
        entityId: string,
        before: unknown,
        after: unknown,
      ) => appendAudit(tx, { actor, action, entity, entityId, certno: app.certno, before, after });
      await audit('chronic.attachment.create', 'chronic_attachment', String(meta.id), null, {
        ...meta,
        applicationId: app.id,
      });
      const kinds = [...app.documents.map((d) => d.kind), meta.kind];
      const { cat } = this.catalogue(app.regionCode.slice(0, 6), app.acceptedOn);
      if (app.status === 'incomplete' && missingDocuments(cat, kinds).length === 0) {
        await setStatus(tx, app.certno, app.id, 'under_review');
        await audit(
          'chronic.application.complete',
          'chronic_application',
          String(app.id),
          app,
          await this.reread(tx, app.id),
        );
      }
      return meta;
    });
  }

  async attachment(actor: Actor, id: number): Promise<AttachmentFile & { sensitive: boolean }> {
    const file = await findAttachment(this.db, actor.scope, id);
    if (!file) {
      throw notFound(
        'chronic.attachment_not_found',
        'id',
        `没有这份申请材料（或不在您的数据范围内）：${id}`,
        `no such document (or outside your data scope): ${id}`,
      );
    }
    const app = await this.application(actor, file.applicationId);
    return { ...file, sensitive: app.diseases.some((d) => d.severeMental) };
  }

  async withdraw(actor: Actor, id: number, reason: string): Promise<Application> {
    return this.withApplication(actor, id, async (tx, app) => {
      if (!isOpen(app.status)) throw applicationClosed(app.status);
      await setStatus(tx, app.certno, app.id, 'withdrawn', { withdrawnReason: reason });
      const after = await this.reread(tx, app.id);
      await appendAudit(tx, {
        actor,
        action: 'chronic.application.withdraw',
        entity: 'chronic_application',
        entityId: String(app.id),
        certno: app.certno,
        before: app,
        after,
        reason,
      });
      return after;
    });
  }

  // ---- expert review (§8) and the certificate it issues (§9) ------------------------------

  async decide(
    actor: Actor,
    id: number,
    decisions: readonly DecisionInput[],
  ): Promise<Application> {
    return this.withApplication(actor, id, async (tx, app) => {
      const outcome = decide(app, decisions, actor.id);
      const at = this.now().toISOString();
      for (const c of outcome.changes) {
        await updateDisease(tx, app.certno, app.id, { ...c, by: actor.id, at });
      }
      for (const r of outcome.reviews) {
        await insertReview(tx, {
          ...r,
          certno: app.certno,
          applicationId: app.id,
          reviewerId: actor.id,
          reviewerName: actor.name,
          at,
        });
      }
      if (outcome.complete) {
        await setStatus(tx, app.certno, app.id, 'decided');
        const approved = (await this.reread(tx, app.id)).diseases.filter(
          (d) => d.decision === 'approved',
        );
        if (approved.length > 0) {
          await this.certify(
            tx,
            actor,
            { certno: app.certno, regionCode: app.regionCode },
            approved.map((d) => ({
              disease: d.disease,
              validFrom: app.acceptedOn,
              validTo: null,
              applicationId: app.id,
            })),
            'review',
          );
        }
      }
      const after = await this.reread(tx, app.id);
      await appendAudit(tx, {
        actor,
        action: 'chronic.application.review',
        entity: 'chronic_application',
        entityId: String(app.id),
        certno: app.certno,
        before: app,
        after,
      });
      return after;
    });
  }

  /**
   * Puts diseases on the person's certificate, issuing it first when they hold none (即时享受:
   * covered from `validFrom`, the application's acceptance date). A disease ended on that same
   * day is opened again rather than added twice.
   */
  private async certify(
    tx: Queryable,
    actor: Actor,
    person: { certno: string; regionCode: string },
    diseases: {
      disease: string;
      validFrom: IsoDate;
      validTo: IsoDate | null;
      applicationId: number | null;
    }[],
    source: 'review' | 'import',
    given: {
      certificateNo: string | null;
      issuedOn: IsoDate | null;
      /** The certificate as the caller read it in this transaction (null: none yet). */
      held?: CertificateRow | null;
    } = { certificateNo: null, issuedOn: null },
  ): Promise<CertificateRow> {
    const cert =
      given.held === undefined
        ? await findCertificate(tx, { kind: 'system' }, person.certno)
        : given.held;
    if (!cert) {
      // A new certificate and its diseases are one change, audited once.
      const issuedOn = given.issuedOn ?? this.today();
      const certificateNo =
        given.certificateNo ??
        certificateNumber(person.regionCode, issuedOn, await nextCertificateSerial(tx));
      await insertCertificate(tx, {
        certno: person.certno,
        certificateNo,
        regionCode: person.regionCode,
        issuedOn,
        source,
        createdBy: actor.id,
      });
      for (const d of diseases) await insertCertificateDisease(tx, person.certno, d);
      await appendAudit(tx, {
        actor,
        action: 'chronic.certificate.create',
        entity: 'chronic_certificate',
        entityId: certificateNo,
        certno: person.certno,
        after: { certificateNo, issuedOn, source, regionCode: person.regionCode, diseases },
      });
      return {
        certno: person.certno,
        name: '',
        regionCode: person.regionCode,
        certificateNo,
        issuedOn,
        source,
        diseases: diseases.map((d) => ({
          ...d,
          endedReason: null,
          endedNote: null,
          endedAt: null,
        })),
      };
    }
    const held = [...cert.diseases];
    for (const d of diseases) {
      const same = held.find((x) => x.disease === d.disease && x.validFrom === d.validFrom);
      if (same) {
        await reopenCertificateDisease(tx, person.certno, d);
      } else {
        await insertCertificateDisease(tx, person.certno, d);
      }
      held.push({ ...d, endedReason: null, endedNote: null, endedAt: null });
      await appendAudit(tx, {
        actor,
        action: 'chronic.certificate.add_disease',
        entity: 'chronic_certificate_disease',
        entityId: `${cert.certificateNo}:${d.disease}:${d.validFrom}`,
        certno: person.certno,
        before: same ?? null,
        after: { ...d, certificateNo: cert.certificateNo },
      });
    }
    return { ...cert, diseases: held };
  }

  async notice(actor: Actor, id: number): Promise<NoticeFacts> {
    const application = await this.application(actor, id);
    if (
      application.status !== 'decided' ||
      !application.diseases.some((d) => d.decision === 'refused')
    ) {
      throw notFound(
        'chronic.no_refusal',
        'id',
        '该申请没有未通过的病种，无告知书',
        'nothing of this application was refused: there is no notice',
      );
    }
    const decided = application.diseases
      .map((d) => d.decidedAt)
      .filter((x): x is string => x !== null)
      .sort();
    const last = decided[decided.length - 1];
    return {
      application,
      bureau: await this.bureauName(application.regionCode),
      decidedOn: last ? localDate(new Date(last)) : null,
    };
  }

  private async bureauName(regionCode: string): Promise<string> {
    const county = await regionName(this.db, regionCode.slice(0, 6));
    return `${county ?? regionCode.slice(0, 6)}医疗保障局`;
  }

  // ---- certificates (§9–§10) ---------------------------------------------------------------

  async certificate(actor: Actor, certno: string): Promise<Certificate> {
    const person = await findPerson(this.db, actor.scope, certno);
    if (!person) throw personNotFound(certno);
    const row = await findCertificate(this.db, actor.scope, certno);
    if (!row) throw noCertificate(certno);
    return this.describeCertificate(row);
  }

  async certificateFacts(actor: Actor, certno: string): Promise<CertificateFacts> {
    const certificate = await this.certificate(actor, certno);
    return {
      certificate,
      bureau: await this.bureauName(certificate.regionCode),
      today: this.today(),
    };
  }

  async listCertificates(
    actor: Actor,
    filter: CertificateFilter,
    page: Page,
  ): Promise<{ items: Certificate[]; total: number }> {
    const r = await listCertificates(this.db, actor.scope, filter, page);
    return { items: r.items.map((c) => this.describeCertificate(c)), total: r.total };
  }

  async endDisease(
    actor: Actor,
    certno: string,
    disease: string,
    end: { reason: EndReason; on: IsoDate; note?: string | null | undefined },
  ): Promise<Certificate> {
    return this.db.transaction(async (tx) => {
      await this.lockPerson(tx, actor.scope, certno);
      const before = await findCertificate(tx, actor.scope, certno);
      if (!before) throw noCertificate(certno);
      const row = diseaseToEnd(before.diseases, disease);
      checkEndDate(row, end.on);
      const note = end.note ?? null;
      await endCertificateDisease(tx, certno, row, {
        on: end.on,
        reason: end.reason,
        note,
        by: actor.id,
      });
      const after = (await findCertificate(tx, actor.scope, certno))!;
      await appendAudit(tx, {
        actor,
        // The audit log insists that a correction says why.
        action:
          end.reason === 'correction' ? 'chronic.certificate.correct' : 'chronic.certificate.end',
        entity: 'chronic_certificate_disease',
        entityId: `${before.certificateNo}:${disease}:${row.validFrom}`,
        certno,
        before: row,
        after: after.diseases.find((d) => d.disease === disease && d.validFrom === row.validFrom),
        reason: note ? `${end.reason}: ${note}` : end.reason,
      });
      return this.describeCertificate(after);
    });
  }

  // ---- two-diseases filings (§11) -----------------------------------------------------------

  /** The institution a filing is made at, as the caller may name it. */
  private async filingInstitution(
    q: Queryable,
    actor: Actor,
    given: string | null | undefined,
  ): Promise<{ institution: InstitutionRow; source: FilingSource }> {
    const field = 'fixmedinsCode';
    const primary = (i: InstitutionRow | null, code: string): InstitutionRow => {
      if (!i) {
        throw unprocessable(
          'chronic.institution_unknown',
          field,
          `定点医药机构 ${code} 未登记（gateway_institution）`,
          `institution ${code} is not registered`,
        );
      }
      if (i.level !== 1) {
        throw unprocessable(
          'chronic.institution_not_primary',
          field,
          `两病备案须在基层（一级）医疗机构办理，${i.name} 为 ${i.level} 级`,
          `a two-diseases filing is made at primary care (level 1); ${i.name} is level ${i.level}`,
        );
      }
      return i;
    };
    const scope = actor.scope;
    if (scope.kind === 'institution') {
      if (given && given !== scope.fixmedinsCode) {
        throw unprocessable(
          'chronic.institution_not_yours',
          field,
          '医疗机构只能以本机构名义备案',
          'an institution files in its own name only',
        );
      }
      return {
        institution: primary(await findInstitution(q, scope.fixmedinsCode), scope.fixmedinsCode),
        source: 'hospital',
      };
    }
    const region = scope.kind === 'system' ? '' : scope.regionCode;
    if (!isBureau(actor) && actor.roles.includes('family_doctor')) {
      // A family doctor files at the health centre of their township: one registered in the
      // township, or — where the county registers its institutions county-wide — one of the
      // county's level-1 institutions the doctor names.
      const township = townshipOf(region);
      if (given) {
        const i = primary(await findInstitution(q, given), given);
        if (!i.admdvs.startsWith(township) && !township.startsWith(i.admdvs)) {
          throw unprocessable(
            'chronic.institution_elsewhere',
            field,
            `${i.name} 不是您所在乡镇（${township}）的卫生院`,
            `${i.name} is not the health centre of your township (${township})`,
          );
        }
        return { institution: i, source: 'doctor' };
      }
      const found = await healthCentresOf(q, township);
      if (found.length !== 1) {
        throw unprocessable(
          'chronic.institution_required',
          field,
          found.length === 0
            ? `乡镇 ${township} 没有登记的基层医疗机构，请联系医保局登记卫生院`
            : `乡镇 ${township} 有多个基层医疗机构，请选择备案机构`,
          found.length === 0
            ? `no level-1 institution is registered in township ${township}`
            : `township ${township} has several level-1 institutions: name one`,
        );
      }
      return { institution: found[0]!, source: 'doctor' };
    }
    if (!given) {
      throw unprocessable(
        'chronic.institution_required',
        field,
        '请填写备案的基层医疗机构编码',
        'name the primary-care institution the filing is made at',
      );
    }
    const i = primary(await findInstitution(q, given), given);
    if (!i.admdvs.startsWith(region.slice(0, 6))) {
      throw unprocessable(
        'chronic.institution_elsewhere',
        field,
        `${i.name} 不在本统筹区`,
        `${i.name} is outside your county`,
      );
    }
    return { institution: i, source: 'hospital' };
  }

  /**
   * The county's registered level-1 institutions a filing may name (§11), those of the caller's
   * township first.
   */
  async primaryCare(actor: Actor): Promise<(InstitutionRow & { township: boolean })[]> {
    const region = actor.scope.kind === 'system' ? this.countyOf(actor) : actor.scope.regionCode;
    const township = region.length >= 9 ? townshipOf(region) : null;
    const all = await primaryCareIn(this.db, region.slice(0, 6));
    const own = new Set(
      township === null ? [] : (await healthCentresOf(this.db, township)).map((i) => i.code),
    );
    return all
      .map((i) => ({ ...i, township: own.has(i.code) }))
      .sort((a, b) => Number(b.township) - Number(a.township) || a.code.localeCompare(b.code));
  }

  async createFiling(actor: Actor, input: FilingInput): Promise<Filing> {
    const today = this.today();
    const validFrom = input.validFrom ?? today;
    if (validFrom > today) {
      throw unprocessable(
        'chronic.filing_in_future',
        'validFrom',
        `备案起始日 ${validFrom} 晚于今天 ${today}`,
        `the filing starts (${validFrom}) after today (${today})`,
      );
    }
    checkFilingDiagnosis(input.disease, input.diagnosis, 'diagnosis');
    return this.db.transaction(async (tx) => {
      const person = await this.lockPerson(tx, actor.scope, input.certno);
      const { institution, source } = await this.filingInstitution(tx, actor, input.fixmedinsCode);
      return this.fileIn(tx, actor, person, {
        disease: input.disease,
        diagnosis: input.diagnosis,
        fixmedinsCode: institution.code,
        validFrom,
        validTo: null,
        source,
        gatewaySn: null,
      });
    });
  }

  private async fileIn(
    tx: Queryable,
    actor: Actor,
    person: PersonRow,
    f: {
      disease: TwoDiseaseName;
      diagnosis: string | null;
      fixmedinsCode: string;
      validFrom: IsoDate;
      validTo: IsoDate | null;
      source: FilingSource;
      gatewaySn: string | null;
    },
  ): Promise<Filing> {
    if (
      person.status === 'deceased' &&
      person.deathDate !== null &&
      person.deathDate < f.validFrom
    ) {
      throw unprocessable(
        'chronic.person_deceased',
        'certno',
        `参保人已于 ${person.deathDate} 死亡`,
        `the person died on ${person.deathDate}`,
      );
    }
    checkNoOverlap(
      await filingsOf(tx, person.certno),
      f.disease,
      f.validFrom,
      f.validTo,
      'disease',
    );
    const id = await insertFiling(tx, {
      ...f,
      certno: person.certno,
      regionCode: person.regionCode,
      createdBy: actor.id,
    });
    const filing = (await findFiling(tx, { kind: 'system' }, id))!;
    await appendAudit(tx, {
      actor,
      action: 'chronic.filing.create',
      entity: 'two_diseases_filing',
      entityId: String(id),
      certno: person.certno,
      after: filing,
    });
    return filing;
  }

  listFilings(actor: Actor, filter: FilingFilter, page: Page) {
    return listFilings(this.db, actor.scope, filter, page);
  }

  async endFiling(
    actor: Actor,
    id: number,
    end: { reason: FilingEndReason; on: IsoDate },
  ): Promise<Filing> {
    const found = await findFiling(this.db, actor.scope, id);
    if (!found) throw filingNotFound(id);
    return this.db.transaction(async (tx) => {
      await this.lockPerson(tx, actor.scope, found.certno);
      const before = (await findFiling(tx, actor.scope, id))!;
      return this.endFilingIn(tx, actor, before, end, end.reason);
    });
  }

  private async endFilingIn(
    tx: Queryable,
    actor: Actor,
    before: Filing,
    end: { reason: FilingEndReason; on: IsoDate },
    why: string,
  ): Promise<Filing> {
    checkFilingEnd(before, end.on);
    await endFiling(tx, before.certno, before.id, { ...end, by: actor.id });
    const after = (await findFiling(tx, { kind: 'system' }, before.id))!;
    await appendAudit(tx, {
      actor,
      action:
        end.reason === 'correction'
          ? 'chronic.filing.correct'
          : end.reason === 'cancelled'
            ? 'chronic.filing.cancel'
            : 'chronic.filing.end',
      entity: 'two_diseases_filing',
      entityId: String(before.id),
      certno: before.certno,
      before,
      after,
      reason: why,
    });
    return after;
  }

  // ---- the person's summary (§13) ---------------------------------------------------------------

  async person(actor: Actor, certno: string): Promise<PersonChronic> {
    const person = await findPerson(this.db, actor.scope, certno);
    if (!person) throw personNotFound(certno);
    const [cert, filings, applications, screening] = await Promise.all([
      findCertificate(this.db, actor.scope, certno),
      filingsOf(this.db, certno),
      applicationsOf(this.db, certno),
      screeningNotesOf(this.db, certno),
    ]);
    return {
      certno,
      certificate: cert && this.describeCertificate(cert),
      filings,
      applications: applications.map((a) => this.describe(a)),
      screening,
    };
  }

  // ---- the national 2503 and 2504 (§12), inside the gateway's transaction ----------------------

  /**
   * A 2503 filing: a catalogue disease's national code makes an application (channel `gateway`,
   * reviewed like any other); a two-diseases code makes a filing at the sending institution.
   */
  async fileFromGateway(
    tx: Queryable,
    actor: Actor,
    scope: DataScope,
    g: GatewayFiling,
  ): Promise<GatewayOutcome> {
    const person = await this.lockPerson(tx, scope, g.certno);
    const { cat } = this.catalogue(person.regionCode.slice(0, 6), g.begndate, 'begndate');
    const meaning = meaningOf(cat, g.nationalCode);
    if (meaning === null) {
      throw unprocessable(
        'chronic.unknown_national_code',
        'opsp_dise_code',
        `${g.nationalCode}（${g.nationalName}）不是本统筹区门诊慢特病病种或两病的国家病种代码`,
        `${g.nationalCode} is neither a catalogue disease nor a two-diseases code here`,
      );
    }
    // Benefits start at acceptance: the filing's start, or the day it arrived if that is earlier.
    const acceptedOn = [g.begndate, g.date, this.today()].sort()[0]!;
    if (meaning.kind === 'disease') {
      const app = await this.applyIn(tx, actor, person, {
        certno: person.certno,
        diseases: [{ disease: meaning.disease.code }],
        acceptedOn,
        channel: 'gateway',
        fixmedinsCode: g.fixmedinsCode,
        gatewaySn: g.sn,
        note: `国家接口 2503 备案 ${g.sn}：${g.nationalCode} ${g.nationalName}`,
        forceReview: true,
      });
      return { kind: 'application', id: app.id };
    }
    const institution = await findInstitution(tx, g.fixmedinsCode);
    if (!institution || institution.level !== 1) {
      throw unprocessable(
        'chronic.institution_not_primary',
        'fixmedinsCode',
        '两病备案须在登记的基层（一级）医疗机构办理',
        'a two-diseases filing is made at a registered primary-care (level 1) institution',
      );
    }
    const filing = await this.fileIn(tx, actor, person, {
      disease: meaning.disease,
      diagnosis: null,
      fixmedinsCode: g.fixmedinsCode,
      validFrom: acceptedOn,
      validTo: g.enddate !== null && g.enddate >= acceptedOn ? g.enddate : null,
      source: 'gateway',
      gatewaySn: g.sn,
    });
    return { kind: 'filing', id: filing.id };
  }

  /**
   * A 2504 cancels what its 2503 made: an application still open is withdrawn; a filing ends on
   * the message's date. An application already decided is not undone here (§12).
   */
  async cancelFromGateway(
    tx: Queryable,
    actor: Actor,
    g: { certno: string; sn: string; date: IsoDate; memo: string | null },
  ): Promise<void> {
    await lockPersonRow(tx, g.certno);
    const why = `国家接口 2504 撤销备案 ${g.sn}${g.memo ? `：${g.memo}` : ''}`;
    const app = await applicationByGatewaySn(tx, g.certno, g.sn);
    if (app) {
      if (!isOpen(app.status)) {
        throw unprocessable(
          'chronic.gateway_decided',
          'trt_dcla_detl_sn',
          `备案 ${g.sn} 的申请已${app.status === 'withdrawn' ? '撤回' : '评审办结'}，不能撤销；终止证件请到医保经办机构办理`,
          `the application of filing ${g.sn} is ${app.status}: it cannot be cancelled here`,
        );
      }
      await setStatus(tx, app.certno, app.id, 'withdrawn', { withdrawnReason: why });
      await appendAudit(tx, {
        actor,
        action: 'chronic.application.withdraw',
        entity: 'chronic_application',
        entityId: String(app.id),
        certno: app.certno,
        before: this.describe(app),
        after: await this.reread(tx, app.id),
        reason: why,
      });
      return;
    }
    const filing = await filingBySn(tx, g.certno, g.sn);
    if (!filing) return;
    await this.endFilingIn(
      tx,
      actor,
      filing,
      { reason: 'cancelled', on: g.date < filing.validFrom ? filing.validFrom : g.date },
      why,
    );
  }

  // ---- imports of existing certificates and filings (§13) -------------------------------------

  /** Is `code` the severe mental disorders (S004) in any catalogue of the caller's county? */
  isSevereMental(actor: Actor, code: string): boolean {
    const county = this.countyOf(actor);
    return this.packs.some(
      (p) => p.region === county && p.diseases.some((d) => d.code === code && d.severeMental),
    );
  }

  /**
   * Imports a batch of certificate rows in one transaction, each row in a savepoint of its own:
   * a row is written (and audited) or answered with its problem; the others go on.
   */
  async importCertificates(
    actor: Actor,
    rows: readonly CertificateImportRow[],
  ): Promise<Map<number, RowProblem>> {
    // The batch's certificates, read once and kept as rows add to them.
    let held = new Map<string, CertificateRow>();
    return this.importBatch(
      actor,
      rows,
      async (tx, certnos) => {
        held = await certificatesOf(tx, certnos);
      },
      async (tx, person, r) => {
        const { cat } = this.catalogue(person.regionCode.slice(0, 6), r.validFrom, 'validFrom');
        const disease = cat.diseases.find(
          (d) => d.code === r.disease || d.nationalCode === r.disease,
        );
        if (!disease) {
          throw unprocessable(
            'chronic.unknown_disease',
            'disease',
            `病种编码：${r.disease} 不在门诊慢特病病种目录（${cat.pack}）中`,
            `disease: ${r.disease} is not a disease of the catalogue (${cat.pack})`,
          );
        }
        const cert = held.get(person.certno) ?? null;
        if (r.certificateNo !== null) {
          if (cert && cert.certificateNo !== r.certificateNo) {
            throw unprocessable(
              'chronic.import.number_mismatch',
              'certificateNo',
              `证号：参保人已有证号 ${cert.certificateNo}，与 ${r.certificateNo} 不同`,
              `certificateNo: the person's certificate is ${cert.certificateNo}, not ${r.certificateNo}`,
            );
          }
          const owner = (await ownersOfNumbers(tx, [r.certificateNo])).get(r.certificateNo);
          if (owner !== undefined && owner !== person.certno) {
            throw unprocessable(
              'chronic.import.number_taken',
              'certificateNo',
              `证号：${r.certificateNo} 已属于另一参保人`,
              `certificateNo: ${r.certificateNo} belongs to another person`,
            );
          }
        }
        const end = r.validTo ?? '9999-12-31';
        const twin = cert?.diseases.find(
          (d) =>
            d.disease === disease.code &&
            d.validFrom <= end &&
            (d.validTo ?? '9999-12-31') >= r.validFrom,
        );
        if (twin) {
          throw unprocessable(
            'chronic.import.duplicate',
            'disease',
            `病种编码：参保人的证上已有 ${disease.code}（${twin.validFrom} 起），重复`,
            `disease: the certificate already holds ${disease.code} from ${twin.validFrom}`,
          );
        }
        const after = await this.certify(
          tx,
          actor,
          person,
          [
            {
              disease: disease.code,
              validFrom: r.validFrom,
              validTo: r.validTo,
              applicationId: null,
            },
          ],
          'import',
          { certificateNo: r.certificateNo, issuedOn: r.issuedOn ?? r.validFrom, held: cert },
        );
        held.set(person.certno, after);
      },
    );
  }

  async importFilings(
    actor: Actor,
    rows: readonly FilingImportRow[],
  ): Promise<Map<number, RowProblem>> {
    return this.importBatch(actor, rows, null, async (tx, person, r) => {
      if (r.diagnosis !== null) checkFilingDiagnosis(r.disease, r.diagnosis, 'diagnosis');
      const i = await findInstitution(tx, r.fixmedinsCode);
      if (!i || i.level !== 1 || !i.admdvs.startsWith(person.regionCode.slice(0, 6))) {
        throw unprocessable(
          'chronic.institution_not_primary',
          'fixmedinsCode',
          `备案机构编码：${r.fixmedinsCode} 不是本县登记的基层（一级）医疗机构`,
          `fixmedinsCode: ${r.fixmedinsCode} is not a registered level-1 institution of the county`,
        );
      }
      await this.fileIn(tx, actor, person, {
        disease: r.disease,
        diagnosis: r.diagnosis,
        fixmedinsCode: r.fixmedinsCode,
        validFrom: r.validFrom,
        validTo: r.validTo,
        source: 'import',
        gatewaySn: null,
      });
    });
  }

  private async importBatch<R extends { row: number; certno: string; name: string | null }>(
    actor: Actor,
    rows: readonly R[],
    prepare: ((tx: Queryable, certnos: string[]) => Promise<void>) | null,
    write: (tx: Queryable, person: PersonRow, r: R) => Promise<void>,
  ): Promise<Map<number, RowProblem>> {
    const problems = new Map<number, RowProblem>();
    if (rows.length === 0) return problems;
    await this.db.transaction(async (tx) => {
      const people = await lockPeople(tx, actor.scope, [...new Set(rows.map((r) => r.certno))]);
      await prepare?.(tx, [...people.keys()]);
      for (const r of rows) {
        const person = people.get(r.certno);
        if (!person) {
          const e = personNotFound(r.certno);
          problems.set(r.row, { field: 'certno', code: e.code, message: e.messages });
          continue;
        }
        if (r.name !== null && r.name !== person.name) {
          problems.set(r.row, {
            field: 'name',
            code: 'chronic.import.name_mismatch',
            message: {
              zh: `姓名：与登记库中的姓名不一致`,
              en: 'name: differs from the name in the registry',
            },
          });
          continue;
        }
        await tx.exec('SAVEPOINT chronic_import_row');
        try {
          await write(tx, person, r);
          await tx.exec('RELEASE SAVEPOINT chronic_import_row');
        } catch (e) {
          await tx.exec('ROLLBACK TO SAVEPOINT chronic_import_row');
          if (e instanceof TriguardError) {
            problems.set(r.row, { field: e.field, code: e.code, message: e.messages });
          } else if (sqlState(e) !== null) {
            const m = e instanceof Error ? e.message : String(e);
            problems.set(r.row, {
              field: null,
              code: 'chronic.import.database',
              message: { zh: `数据库拒绝此行：${m}`, en: `the database refused the row: ${m}` },
            });
          } else {
            throw e;
          }
        }
      }
    });
    return problems;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private async lockPerson(tx: Queryable, scope: DataScope, certno: string): Promise<PersonRow> {
    const person = await findPerson(tx, scope, certno, true);
    if (!person) throw personNotFound(certno);
    return person;
  }

  private async reread(tx: Queryable, id: number): Promise<Application> {
    return this.describe((await findApplication(tx, { kind: 'system' }, id))!);
  }

  /** Locks the application's person, then runs `fn` on the application as it now stands. */
  private async withApplication<T>(
    actor: Actor,
    id: number,
    fn: (tx: Queryable, app: Application) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      const certno = await applicationOwner(tx, actor.scope, id);
      if (!certno) throw applicationNotFound(id);
      await this.lockPerson(tx, actor.scope, certno);
      const row = await findApplication(tx, actor.scope, id, true);
      if (!row) throw applicationNotFound(id);
      return fn(tx, this.describe(row));
    });
  }
}

export type { DecisionInput } from './core/application.ts';
export type { ApplicationFilter } from './repo/applications.ts';
export type { CertificateFilter } from './repo/certificates.ts';
export type { FilingFilter } from './repo/filings.ts';

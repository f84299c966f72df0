/**
 * Stored applications and certificates with what the catalogue says of their diseases (names,
 * kind, S004) and, for an application, the documents of its checklist still missing. Pure.
 */
import type { Label } from '../../policy/index.ts';
import { missingDocuments, type Catalogue } from './catalogue.ts';
import type { Application, ApplicationRow, Certificate, CertificateRow } from './model.ts';

export interface DiseaseInfo {
  name: Label;
  kind: 'chronic' | 'special' | null;
  severeMental: boolean;
}

/** What a disease code means; a code no catalogue knows any more keeps its code as its name. */
export type DiseaseLookup = (code: string) => DiseaseInfo;

export const unknownDisease = (code: string): DiseaseInfo => ({
  name: { zh: code, en: code },
  kind: null,
  severeMental: false,
});

export function lookupIn(catalogues: readonly Catalogue[]): DiseaseLookup {
  return (code) => {
    for (const cat of catalogues) {
      const d = cat.diseases.find((x) => x.code === code);
      if (d) return { name: d.name, kind: d.kind, severeMental: d.severeMental };
    }
    return unknownDisease(code);
  };
}

export function describeApplication(
  row: ApplicationRow,
  cat: Catalogue,
  info: DiseaseLookup,
): Application {
  const open = row.status === 'incomplete' || row.status === 'under_review';
  return {
    ...row,
    diseases: row.diseases.map((d) => {
      const i = info(d.disease);
      return { ...d, name: i.name, severeMental: i.severeMental };
    }),
    // A closed application asks for nothing more.
    missingDocuments: open
      ? missingDocuments(
          cat,
          row.documents.map((d) => d.kind),
        )
      : [],
  };
}

export function describeCertificate(row: CertificateRow, info: DiseaseLookup): Certificate {
  return {
    ...row,
    diseases: row.diseases.map((d) => ({ ...d, ...info(d.disease) })),
  };
}

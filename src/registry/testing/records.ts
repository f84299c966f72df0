/** Builders for person records in rule tests: valid defaults, override what the test is about. */
import { makeId } from '../../kernel/idcard.ts';
import type { Enrolment, Flag, Person, PersonRecord, VersionStamp } from '../model.ts';

const stamp: VersionStamp = {
  version: 1,
  updatedAt: '2022-01-01T00:00:00.000Z',
  updatedBy: 'test',
  changeReason: null,
};

export const CERTNO = makeId('370899', '1960-03-04', 7);

export function person(over: Partial<Person> = {}): Person {
  return {
    certno: CERTNO,
    name: '王秀英',
    gender: 'male',
    birthDate: '1960-03-04',
    namePinyinInitials: 'wxy',
    householdId: null,
    regionCode: '370899001001',
    phone: null,
    status: 'alive',
    deathDate: null,
    missingSince: null,
    ...stamp,
    ...over,
  };
}

let nextId = 1;

export function flag(over: Partial<Flag> = {}): Flag {
  return {
    flagId: nextId++,
    certno: CERTNO,
    category: 'subsistence',
    fromMonth: '2022-01',
    toMonth: null,
    source: 'civil_affairs',
    evidenceNo: 'MZ-1',
    recognisedOn: null,
    endReason: null,
    ...stamp,
    ...over,
  };
}

export function enrolment(over: Partial<Enrolment> = {}): Enrolment {
  return {
    enrolmentId: nextId++,
    certno: CERTNO,
    medicalYear: 2022,
    scheme: 'resident',
    contributionType: 'paid',
    contribution: 35_000,
    fundedAmount: 0,
    funder: null,
    enrolledOn: '2021-11-20',
    benefitFrom: '2022-01-01',
    benefitTo: null,
    endReason: null,
    refund: 0,
    refundedOn: null,
    ...stamp,
    ...over,
  };
}

export const record = (over: Partial<PersonRecord> = {}): PersonRecord => ({
  person: person(),
  flags: [],
  enrolments: [],
  ...over,
});

-- Assistance programmes (救助项目): a county programme per year with a budget, the cards it issues,
-- its budget alerts, and batch assistance for hospitals outside one-stop settlement (imported
-- settlement records, what each person is owed, and the township's signed confirmation).
-- Spending is not stored here: settlement writes `programme_spend` (0004) and this module reads it.

-- 救助项目: one row per county, code and year. Amounts are fen.
CREATE TABLE assistance_programme (
  programme_id        bigserial PRIMARY KEY,
  region_code         text NOT NULL,
  code                text NOT NULL,
  year                integer NOT NULL,
  title_zh            text NOT NULL,
  title_en            text NOT NULL,
  budget              bigint NOT NULL CHECK (budget >= 0),
  -- The tiers whose payments are charged to it (assistance, re_assistance, backstop).
  tiers               text[] NOT NULL,
  -- Who may hold a card: a card is issued only to a person holding one of these categories.
  eligible_categories text[] NOT NULL,
  -- The identity category a card confers (the flag settlement reads), or null: no cards.
  card_category       text,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          text NOT NULL,
  change_reason       text,
  UNIQUE (region_code, code, year)
);

-- 预算提醒: one per programme-year and threshold (80 %, 100 %), raised the first time a check
-- sees spending at or above it. Never raised twice; a later cancellation does not withdraw it.
CREATE TABLE assistance_budget_alert (
  alert_id        bigserial PRIMARY KEY,
  programme_id    bigint NOT NULL REFERENCES assistance_programme (programme_id),
  threshold_bp    integer NOT NULL CHECK (threshold_bp IN (8000, 10000)),
  budget          bigint NOT NULL,
  spent           bigint NOT NULL,
  raised_by       text NOT NULL,
  raised_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_by text,
  acknowledged_at timestamptz,
  UNIQUE (programme_id, threshold_bp)
);

-- 救助卡: per person and programme code (a card outlives the programme year). The card's flag is
-- the `card_category` flag it created (settlement reads flags, so a suspended card stops paying
-- from the month after its last month). One card that is not revoked per person and programme.
-- No foreign key to person: registry tests and tools truncate `person` on its own; card reads
-- join person, so cards of people no longer registered are not shown or counted.
CREATE SEQUENCE assistance_card_no_seq;
CREATE TABLE assistance_card (
  card_id     bigserial,
  certno      char(18) NOT NULL,
  region_code text NOT NULL,
  programme   text NOT NULL,
  card_no     text NOT NULL UNIQUE,
  status      text NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
  issued_on   date NOT NULL,
  from_month  char(7) NOT NULL,
  last_month  char(7),
  flag_id     bigint,
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL,
  reason      text NOT NULL,
  PRIMARY KEY (certno, card_id)
);
CREATE UNIQUE INDEX assistance_card_live_idx ON assistance_card (certno, region_code, programme)
  WHERE status <> 'revoked';
CREATE INDEX assistance_card_programme_idx ON assistance_card (region_code, programme, status);
CREATE INDEX assistance_card_id_idx ON assistance_card (card_id);

-- Every card event, for the card's history and the year-end report (cards issued in a year).
CREATE TABLE assistance_card_event (
  certno   char(18) NOT NULL,
  card_id  bigint NOT NULL,
  seq      integer NOT NULL,
  event    text NOT NULL CHECK (event IN ('issue', 'adopt', 'suspend', 'reinstate', 'revoke')),
  month    char(7) NOT NULL,
  actor_id text NOT NULL,
  reason   text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, card_id, seq)
);

-- 非一站式医院批量救助: one import of settlement records.
CREATE TABLE assistance_batch (
  batch_id     bigserial PRIMARY KEY,
  region_code  text NOT NULL,
  file_name    text NOT NULL,
  actor_id     text NOT NULL,
  rows_read    integer NOT NULL DEFAULT 0,
  settled      integer NOT NULL DEFAULT 0,
  duplicates   integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  payable      bigint NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

-- One imported record: (hospital, record number) is settled once, whatever batch brings it again.
-- `digest` is the record's content, so a re-import with different amounts is refused, not ignored.
CREATE TABLE assistance_outside_record (
  fixmedins_code text NOT NULL,
  record_no      text NOT NULL,
  certno         char(18) NOT NULL,
  batch_id       bigint NOT NULL REFERENCES assistance_batch (batch_id),
  row_number     integer NOT NULL,
  settlement_id  bigint NOT NULL,
  digest         text NOT NULL,
  payable        bigint NOT NULL,
  card_ref       text,
  note           text,
  PRIMARY KEY (fixmedins_code, record_no)
);
CREATE INDEX assistance_outside_record_batch_idx ON assistance_outside_record (batch_id);

-- Rows of a batch that were not settled, with the reason (every row is accounted for).
CREATE TABLE assistance_batch_reject (
  batch_id   bigint NOT NULL REFERENCES assistance_batch (batch_id),
  row_number integer NOT NULL,
  certno     text,
  name       text,
  field      text,
  reason_zh  text NOT NULL,
  reason_en  text NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);

-- 发放明细: what one batch pays one person (assistance + re-assistance + backstop of the records it
-- settled), to their social security card, and the township's signature confirmation.
CREATE TABLE assistance_payment (
  batch_id      bigint NOT NULL REFERENCES assistance_batch (batch_id),
  certno        char(18) NOT NULL,
  township_code text NOT NULL,
  amount        bigint NOT NULL CHECK (amount > 0),
  records       integer NOT NULL,
  card_ref      text,
  exported_at   timestamptz,
  confirmed_at  timestamptz,
  confirmed_by  text,
  signed_on     date,
  confirm_note  text,
  PRIMARY KEY (certno, batch_id)
);
CREATE INDEX assistance_payment_batch_idx ON assistance_payment (batch_id, township_code);

-- Medicine delivered to the door (送医送药上门, docs/care.md §8). Keyed by the person's certno.

-- The register (信息台帐): a disabled or semi-disabled person with a chronic certificate or a
-- two-diseases filing, confirmed by the family doctor, and the service card (上门服务联系卡).
CREATE SEQUENCE care_service_card_seq;
CREATE TABLE care_delivery_eligibility (
  eligibility_id  bigserial,
  certno          char(18) NOT NULL,
  township_code   text NOT NULL,
  disability      text NOT NULL CHECK (disability IN ('disabled', 'semi_disabled')),
  visit_type      text NOT NULL CHECK (visit_type IN ('chronic_outpatient', 'two_diseases')),
  disease         text NOT NULL,
  diagnosis       text NOT NULL,
  fixmedins_code  text NOT NULL,
  card_no         text NOT NULL UNIQUE,
  phone           text,
  confirmed_by    text NOT NULL,
  confirmed_on    date NOT NULL,
  ended_on        date,
  ended_reason    text,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, eligibility_id),
  CHECK (ended_on IS NULL OR ended_on >= confirmed_on)
);
CREATE INDEX care_delivery_eligibility_township_idx ON care_delivery_eligibility (township_code);

-- One delivery a month: the drugs (catalogue items), who delivered, who confirmed, and the
-- settlement it was paid by (the one engine, as the person's chronic or two-diseases visit).
CREATE TABLE care_delivery (
  delivery_id     bigserial,
  certno          char(18) NOT NULL,
  eligibility_id  bigint NOT NULL,
  township_code   text NOT NULL,
  month           char(7) NOT NULL,
  delivered_on    date NOT NULL,
  delivered_by    text NOT NULL,
  confirmed_by    text NOT NULL CHECK (confirmed_by IN ('patient', 'guardian')),
  confirmer_name  text NOT NULL,
  lines           jsonb NOT NULL,
  settlement_id   bigint NOT NULL,
  msgid           text NOT NULL,
  recorded_by     text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, delivery_id),
  UNIQUE (certno, month)
);
CREATE INDEX care_delivery_month_idx ON care_delivery (month, township_code);

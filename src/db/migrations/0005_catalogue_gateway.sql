-- The insurance catalogue (医保目录), each institution's mapping onto it (目录对照), and the
-- national gateway's state: institutions, the code dictionary, visits, fee details, chronic-disease
-- filings and the message log that answers a repeated msgid. Gateway tables carry certno (the
-- person's shard key) or fixmedins_code (the institution's), as the settlement tables do.

-- 医保目录: one row per national code and validity period (a code may change class or ceiling
-- from a date). chrgitm_lv 01 甲类 / 02 乙类 / 03 丙类; selfpay_prop is basis points; the price
-- ceiling is fen per unit (null: none).
CREATE TABLE catalogue_item (
  med_list_codg    text NOT NULL,
  name             text NOT NULL,
  list_type        text NOT NULL CHECK (list_type IN ('drug', 'service', 'consumable')),
  chrgitm_lv       char(2) NOT NULL CHECK (chrgitm_lv IN ('01', '02', '03')),
  selfpay_prop     integer NOT NULL CHECK (selfpay_prop BETWEEN 0 AND 10000),
  pric_uplmt_amt   bigint CHECK (pric_uplmt_amt IS NULL OR pric_uplmt_amt >= 0),
  med_chrgitm_type text,
  spec             text,
  dosform          text,
  prcunt           text,
  begndate         date NOT NULL,
  enddate          date,
  imported_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (med_list_codg, begndate),
  CHECK (enddate IS NULL OR enddate >= begndate)
);
CREATE INDEX catalogue_item_name_idx ON catalogue_item USING gin (name gin_trgm_ops);

-- 目录对照 (3301): an institution's own item code → the national code.
CREATE TABLE catalogue_mapping (
  fixmedins_code   text NOT NULL,
  medins_list_codg text NOT NULL,
  medins_list_name text NOT NULL,
  med_list_codg    text NOT NULL,
  list_type        text NOT NULL CHECK (list_type IN ('drug', 'service', 'consumable')),
  begndate         date NOT NULL,
  enddate          date,
  mapped_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (fixmedins_code, medins_list_codg),
  CHECK (enddate IS NULL OR enddate >= begndate)
);

-- 定点医药机构 as the gateway needs them: the hospital level decides the basic ratio.
CREATE TABLE gateway_institution (
  fixmedins_code text PRIMARY KEY,
  fixmedins_name text NOT NULL,
  hosp_lv        smallint NOT NULL CHECK (hosp_lv IN (1, 2, 3)),
  admdvs         text NOT NULL
);

-- Codes of the national platform, as data: fund_pay_type (value = the tier that fund pays),
-- psn_idet_type (value = the identity category), cum_type_code (value = the accumulator read).
CREATE TABLE gateway_dict (
  dict_type text NOT NULL,
  code      text NOT NULL,
  name      text NOT NULL,
  value     text NOT NULL,
  PRIMARY KEY (dict_type, code),
  UNIQUE (dict_type, value)
);
INSERT INTO gateway_dict (dict_type, code, name, value) VALUES
  ('fund_pay_type', '390100', '居民基本医保统筹', 'basic_insurance'),
  ('fund_pay_type', '390200', '城乡居民大病保险', 'critical_illness'),
  ('fund_pay_type', '610100', '医疗救助', 'assistance'),
  ('fund_pay_type', '610102', '再救助', 're_assistance'),
  ('fund_pay_type', '640100', '政府兜底', 'backstop'),
  ('psn_idet_type', '2101', '特困人员', 'extreme_poverty'),
  ('psn_idet_type', '2102', '低保对象', 'subsistence'),
  ('psn_idet_type', '2103', '返贫致贫人口', 'poverty_returned'),
  ('psn_idet_type', '2104', '低保边缘家庭成员', 'low_income_marginal'),
  ('psn_idet_type', '2105', '防返贫监测对象', 'monitored'),
  ('psn_idet_type', '2106', '因病致贫重病患者', 'illness_poverty'),
  ('psn_idet_type', '2201', '严重精神障碍患者', 'severe_mental'),
  ('psn_idet_type', '2202', '精神障碍医疗救助卡持卡人', 'mental_aid_card'),
  ('cum_type_code', 'C001', '基本医保政策范围内费用累计', 'basic_insurance.base'),
  ('cum_type_code', 'C002', '基本医保统筹基金支付累计', 'basic_insurance.paid'),
  ('cum_type_code', 'C003', '大病保险累计进入基数', 'critical_illness.base'),
  ('cum_type_code', 'C004', '大病保险支付累计', 'critical_illness.paid'),
  ('cum_type_code', 'C005', '医疗救助累计基数', 'assistance.base'),
  ('cum_type_code', 'C006', '医疗救助支付累计', 'assistance.paid'),
  ('cum_type_code', 'C007', '再救助累计基数', 're_assistance.base'),
  ('cum_type_code', 'C008', '再救助支付累计', 're_assistance.paid'),
  ('cum_type_code', 'C009', '政府兜底累计基数', 'backstop.base'),
  ('cum_type_code', 'C010', '政府兜底支付累计', 'backstop.paid'),
  ('cum_type_code', 'C011', '起付线累计', 'deductible'),
  ('cum_type_code', 'C012', '政策范围内个人负担累计', 'oop_inscope'),
  ('cum_type_code', 'C013', '个人负担总费用累计', 'oop_total');

CREATE SEQUENCE gateway_visit_seq;

-- 就诊 (2201 门诊挂号 / 2401 入院): `settle_msgid` is the msgid of the 2207/2304 that claimed
-- the visit for settlement; it stays while that settlement stands, so a second msgid cannot pay
-- the same visit twice, and a cancel (2208/2305) clears it.
CREATE TABLE gateway_visit (
  certno         char(18) NOT NULL,
  mdtrt_id       text NOT NULL,
  fixmedins_code text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('outpatient', 'inpatient')),
  psn_name       text NOT NULL,
  ipt_otp_no     text,
  med_type       text,
  begntime       timestamp NOT NULL,
  endtime        timestamp,
  dise_codg      text,
  dise_name      text,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled', 'discharged')),
  settle_msgid   text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, mdtrt_id)
);
CREATE INDEX gateway_visit_fixmedins_idx ON gateway_visit (fixmedins_code, mdtrt_id);

-- 费用明细 (2204 / 2301), classed by the catalogue when uploaded. Amounts fen, ratio bp.
CREATE TABLE gateway_fee (
  certno              char(18) NOT NULL,
  mdtrt_id            text NOT NULL,
  feedetl_sn          text NOT NULL,
  chrg_bchno          text,
  fee_ocur_time       timestamp NOT NULL,
  med_list_codg       text NOT NULL,
  medins_list_codg    text,
  item_name           text NOT NULL,
  cnt                 text NOT NULL,
  pric                text NOT NULL,
  det_item_fee_sumamt bigint NOT NULL,
  chrgitm_lv          char(2) NOT NULL,
  med_chrgitm_type    text,
  selfpay_prop        integer NOT NULL,
  pric_uplmt_amt      bigint,
  fulamt_ownpay_amt   bigint NOT NULL,
  overlmt_amt         bigint NOT NULL,
  preselfpay_amt      bigint NOT NULL,
  inscp_scp_amt       bigint NOT NULL,
  line                jsonb NOT NULL,
  PRIMARY KEY (certno, mdtrt_id, feedetl_sn)
);

-- 门诊慢特病备案 (2503): stored; checked once the chronic-disease module exists.
CREATE SEQUENCE gateway_chronic_filing_seq;
CREATE TABLE gateway_chronic_filing (
  certno            char(18) NOT NULL,
  trt_dcla_detl_sn  text NOT NULL,
  fixmedins_code    text NOT NULL,
  opsp_dise_code    text NOT NULL,
  opsp_dise_name    text NOT NULL,
  begndate          date NOT NULL,
  enddate           date,
  filing            jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, trt_dcla_detl_sn)
);

-- 报文日志: the first successful answer to each msgid of an institution, answered again to a
-- repeat. `answer` is null while the first request is still in its transaction.
CREATE TABLE gateway_message (
  fixmedins_code text NOT NULL,
  msgid          text NOT NULL,
  infno          text NOT NULL,
  certno         char(18),
  answer         jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (fixmedins_code, msgid)
);

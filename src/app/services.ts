/**
 * Every long-lived service, built once per process from the database: the HTTP routes and the
 * commands are handed these, and build none of their own. A service that holds state (the pack
 * catalogue, the settlement's resolved-parameter cache) exists once.
 */
import type { Db } from '../db/db.ts';
import { loadPackCatalog, type PackCatalog, SettlementService } from '../settlement/index.ts';
import { GatewayService } from '../gateway/index.ts';
import { MonitoringService } from '../monitoring/index.ts';
import { ChronicService, ScreeningService } from '../chronic/index.ts';
import { PaymentService } from '../payment/index.ts';
import { CareService, DeliveryService, CareTeamService } from '../care/index.ts';
import { ReplayService } from '../replay/index.ts';

export interface Services {
  db: Db;
  /** The clock every service reads (a test moves it). */
  now: () => Date;
  packs: PackCatalog;
  settlement: SettlementService;
  gateway: GatewayService;
  monitoring: MonitoringService;
  chronic: ChronicService;
  screening: ScreeningService;
  payment: PaymentService;
  care: CareService;
  delivery: DeliveryService;
  careTeams: CareTeamService;
  replay: ReplayService;
}

export async function buildServices(db: Db, opts: { now?: () => Date } = {}): Promise<Services> {
  const packs = await loadPackCatalog();
  const settlement = new SettlementService(db, packs);
  const now = opts.now ?? (() => new Date());
  const chronic = new ChronicService(db, packs.all, now);
  return {
    db,
    now,
    packs,
    settlement,
    gateway: new GatewayService(db, settlement, chronic),
    monitoring: new MonitoringService(db),
    chronic,
    screening: new ScreeningService(db, packs, now),
    payment: new PaymentService(db, packs),
    care: new CareService(db, chronic, now),
    delivery: new DeliveryService(db, settlement, chronic, now),
    careTeams: new CareTeamService(db, now),
    replay: new ReplayService(db, packs),
  };
}

/**
 * The insurance catalogue (医保目录), each institution's item-code mapping, the registered
 * institutions and the demo county's. The only module other domains and the composition root
 * import.
 */
export {
  DEMO_PSYCHIATRIC_HOSPITAL,
  DEMO_INSTITUTIONS,
  demoInstitutionsAt,
  registerDemoInstitutions,
  townshipCentreOf,
} from './demo-institutions.ts';
export { demoCatalogue, loadDemoCatalogue } from './demo.ts';
export {
  classOf,
  validOn,
  type CatalogueItem,
  type CatalogueMapping,
  type Quantity,
} from './model.ts';
export { parseListType, parseQuantity } from './parse.ts';
export { deleteMapping, mappingsOf, upsertMappings, versionsOf } from './repository.ts';
export { catalogueRoutes } from './routes.ts';
export { upsertInstitution } from './repository.ts';

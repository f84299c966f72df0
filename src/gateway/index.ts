/**
 * The national platform's interface (docs/national-gateway.md): `callService`, its messages
 * and the institution sign-in. The only module other domains and the composition root import.
 */
export { gatewayRoutes } from './routes.ts';
export { GatewayService } from './service.ts';

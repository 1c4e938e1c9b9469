/**
 * The protocol tables the views show names from (state order, alert levels, record and message
 * types, the plaintext limit). src/ui imports neither parsers/ nor machines/ (a lint rule):
 * what it may read of them is re-exported here, beside the view model.
 */
export { TLS12_ORDER, TLS13_ORDER } from '../../machines/handshake-states.ts';
export { alertLevelName } from '../../parsers/tables/alerts.ts';
export { contentTypeName } from '../../parsers/tables/content-types.ts';
export { handshakeTypeName } from '../../parsers/tables/handshake-types.ts';
export { MAX_PLAINTEXT } from '../../parsers/tables/mfl.ts';

/**
 * API: the public face of the embedded client: the Strata / Database / Collection interfaces, request
 * and result records, Where / WhereDocument builders, collection configuration, validation and errors.
 * Types only: the engine implements the interfaces elsewhere and is reached by Strata.open through the
 * {@link dev.strata.api.StrataFactory} service, never imported. Calls segment and filter for the record and
 * filter models, storage for settings types; nothing below this layer may import it.
 */
package dev.strata.api;

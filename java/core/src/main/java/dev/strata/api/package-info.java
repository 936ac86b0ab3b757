/**
 * API: the public face of the embedded client: the Strata / Database / Collection interfaces, request
 * and result records, Where / WhereDocument builders, collection configuration, validation and errors.
 * Types only (the engine implements the interfaces elsewhere); nothing below this layer may import it.
 */
package dev.strata.api;

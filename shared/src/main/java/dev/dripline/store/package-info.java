/**
 * What every DynamoDB store in Dripline shares, and the one rule for how stores talk to DynamoDB.
 *
 * <p><b>The rule.</b> A table has one owner: one store class holds its keys, builds every request
 * to it and reads its answers. Within a store, the Enhanced client is used to <i>map</i> items
 * (a {@code StaticTableSchema} turns a stored item into the product's record and back) and for
 * whole-item reads and queries of mapped items; every <i>write</i> is a low-level request built by
 * the store, because nearly all of ours carry a condition the Enhanced client cannot say (a
 * version, an owner, a counter below its cap, a status that must not move backwards) and many
 * join a transaction with another table. A store that writes only counters and conditional
 * updates (API keys, verifications) uses the low-level client throughout. Each store class says
 * in a line at its top which of the two it is.
 *
 * <p><b>Transactions.</b> A write transaction is a {@link dev.dripline.store.Transaction} whose
 * parts have names; a refusal is read by name ({@code outcome.refused("claim")}), never by the
 * position of a cancellation reason. {@code TransactionCanceledException} is caught only here and
 * in the store classes; domain code sees the product's own errors ({@code Conflict},
 * {@code RateLimited}, {@code NotFound}) or a store's result.
 */
package dev.dripline.store;

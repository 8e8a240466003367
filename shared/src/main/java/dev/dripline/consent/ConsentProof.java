package dev.dripline.consent;

/**
 * What a confirmed opt-in request leaves in the ledger: how it was captured, the evidence (JSON
 * naming what was asked, shown and answered, and when) and, for a web form, where it came from.
 *
 * @param source keyword (text-to-join) or web_form
 */
public record ConsentProof(String source, String proof, String ip, String userAgent) {
}

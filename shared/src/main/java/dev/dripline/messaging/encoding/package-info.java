/**
 * SMS encoding and segmentation: GSM-7 or UCS-2, how many segments, the parts themselves, and
 * smart encoding of look-alike Unicode (3GPP TS 23.038 / 23.040). JDK only.
 *
 * <ul>
 *   <li>{@link dev.dripline.messaging.encoding.Segments#count} — the hot path (sender, analytics):
 *       encoding, segments, units; allocation-free for single-part bodies.</li>
 *   <li>{@link dev.dripline.messaging.encoding.Segments#prepare} — what a sender sends: the body
 *       (smart-encoded when that saves a segment) and its count.</li>
 *   <li>{@link dev.dripline.messaging.encoding.Segments#analyze} — what a preview shows: the
 *       count, the smart-encoded body and its replacements, the characters forcing UCS-2.</li>
 *   <li>{@link dev.dripline.messaging.encoding.Segments#split} — the parts, for providers that
 *       need manual concatenation; always as many as {@code count(...).segments()}.</li>
 *   <li>{@link dev.dripline.messaging.encoding.SegmentsCommand} — the same over JSON lines.</li>
 * </ul>
 *
 * Decisions: an empty body is 0 segments; a part keeps escape pairs, surrogate pairs and grapheme
 * clusters whole, so the count can exceed ceil(units / 153 or 67); smart encoding is applied only
 * when it lowers the segment count and never transliterates letters.
 */
package dev.dripline.messaging.encoding;

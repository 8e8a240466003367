package dev.dripline.messaging.encoding;

import static dev.dripline.messaging.encoding.BodiesForProperties.clusterEnds;
import static dev.dripline.messaging.encoding.BodiesForProperties.septets;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SegmentsProperties {

    @Provide
    Arbitrary<String> gsm() {
        return BodiesForProperties.gsmBodies();
    }

    @Provide
    Arbitrary<String> mixed() {
        return BodiesForProperties.mixedBodies();
    }

    @Provide
    Arbitrary<String> anyUtf16() {
        return BodiesForProperties.anyUtf16();
    }

    @Property
    @Label("parts join back to the body exactly")
    void partsRejoinToTheBody(@ForAll("mixed") String mixed, @ForAll("gsm") String gsm, @ForAll("anyUtf16") String any) {
        for (String text : List.of(mixed, gsm, any)) {
            assertThat(String.join("", Segments.split(text))).isEqualTo(text);
        }
    }

    @Property
    @Label("the segment count is the number of parts split sends")
    void segmentCountEqualsNumberOfParts(@ForAll("mixed") String mixed, @ForAll("gsm") String gsm, @ForAll("anyUtf16") String any) {
        for (String text : List.of(mixed, gsm, any)) {
            assertThat(Segments.split(text)).hasSize(Segments.count(text).segments());
        }
    }

    @Property
    @Label("units are septets in GSM-7 and UTF-16 code units in UCS-2")
    void unitsAreSeptetsOrCodeUnits(@ForAll("mixed") String text) {
        SegmentCount count = Segments.count(text);
        boolean gsm = text.chars().allMatch(c -> GsmAlphabet.contains((char) c));

        assertThat(count.encoding()).isEqualTo(gsm ? SmsEncoding.GSM_7 : SmsEncoding.UCS_2);
        assertThat(count.units()).isEqualTo(gsm ? septets(text) : text.length());
    }

    @Property
    @Label("no part exceeds 160/70 alone or 153/67 when concatenated")
    void noPartExceedsItsLimit(@ForAll("mixed") String mixed, @ForAll("gsm") String gsm, @ForAll("anyUtf16") String any) {
        for (String text : List.of(mixed, gsm, any)) {
            SegmentCount count = Segments.count(text);
            List<String> parts = Segments.split(text);
            int limit = parts.size() > 1 ? count.encoding().partLimit() : count.encoding().singleLimit();
            assertThat(count.unitsPerSegment()).isEqualTo(limit);
            for (String part : parts) {
                int units = count.encoding() == SmsEncoding.GSM_7 ? septets(part) : part.length();
                assertThat(units).as("part of %s", count).isLessThanOrEqualTo(limit);
            }
        }
    }

    @Property
    @Label("GSM-7 parts are filled greedily: the next part's first escape pair or CR LF would not have fit")
    void gsmPartsAreFullUpToAnIndivisibleUnit(@ForAll("gsm") String text) {
        List<String> parts = Segments.split(text);
        for (int i = 0; i + 1 < parts.size(); i++) {
            String next = parts.get(i + 1);
            int firstUnit = next.startsWith("\r\n") ? 2 : GsmAlphabet.septets(next.charAt(0));
            assertThat(septets(parts.get(i)) + firstUnit).isGreaterThan(153);
        }
    }

    @Property
    @Label("no part starts with a low surrogate or ends with a high surrogate")
    void surrogatePairsAreNeverSplit(@ForAll("mixed") String text) {
        for (String part : Segments.split(text)) {
            assertThat(Character.isLowSurrogate(part.charAt(0))).as(part).isFalse();
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).as(part).isFalse();
        }
    }

    @Property
    @Label("a surrogate pair of the input stays in one part even among lone surrogates")
    void wellFormedPairsSurviveAmongLoneSurrogates(@ForAll("anyUtf16") String text) {
        int at = 0;
        for (String part : Segments.split(text)) {
            at += part.length();
            if (at < text.length()) {
                assertThat(Character.isHighSurrogate(text.charAt(at - 1)) && Character.isLowSurrogate(text.charAt(at)))
                        .as("cut at %d", at).isFalse();
            }
        }
    }

    @Property
    @Label("UCS-2 parts end on grapheme cluster boundaries (JDK \\X) unless a cluster is longer than a part")
    void ucs2PartsKeepGraphemeClustersWhole(@ForAll("mixed") String text) {
        List<String> parts = Segments.split(text);
        if (parts.size() < 2 || Segments.count(text).encoding() != SmsEncoding.UCS_2) {
            return;
        }
        List<Integer> ends = clusterEnds(text);
        Set<Integer> boundaries = new HashSet<>(ends);
        int at = 0;
        for (String part : parts.subList(0, parts.size() - 1)) {
            at += part.length();
            if (!boundaries.contains(at)) {
                int clusterStart = 0;
                int clusterEnd = 0;
                for (int end : ends) {
                    if (end > at) {
                        clusterEnd = end;
                        break;
                    }
                    clusterStart = end;
                }
                assertThat(clusterEnd - clusterStart).as("cluster cut at %d", at).isGreaterThan(67);
            }
        }
    }

    @Property
    @Label("UCS-2 parts are filled greedily: the next cluster would not have fit")
    void ucs2PartsAreFullUpToTheNextCluster(@ForAll("mixed") String text) {
        List<String> parts = Segments.split(text);
        if (parts.size() < 2 || Segments.count(text).encoding() != SmsEncoding.UCS_2) {
            return;
        }
        for (int i = 0; i + 1 < parts.size(); i++) {
            String next = parts.get(i + 1);
            int firstCluster = clusterEnds(next).get(0);
            assertThat(parts.get(i).length() + firstCluster).isGreaterThan(67);
        }
    }

    @Property
    @Label("finding a part's end backwards from the limit gives the same end as walking its clusters")
    void backwardPartEndMatchesTheClusterWalk(@ForAll("mixed") String mixed, @ForAll("anyUtf16") String any) {
        for (String text : List.of(mixed, any)) {
            for (int start = 0; start < text.length(); start = Segments.ucs2PartEndByClusters(text, start)) {
                assertThat(Segments.ucs2PartEnd(text, start)).as("part from %d", start)
                        .isEqualTo(Segments.ucs2PartEndByClusters(text, start));
            }
        }
    }

    @Property
    @Label("our grapheme clusters are the JDK regex engine's \\X clusters")
    void graphemesMatchTheJdkRegexEngine(@ForAll("mixed") String text) {
        int start = 0;
        for (int end : clusterEnds(text)) {
            assertThat(Graphemes.end(text, start)).as("cluster at %d of %s", start, text).isEqualTo(end);
            start = end;
        }
    }

    @Property
    @Label("smart encoding is applied only when it lowers the count, and then the body is GSM-7")
    void smartEncodingOnlyEverLowersTheCount(@ForAll("mixed") String text) {
        BodyAnalysis analysis = Segments.analyze(text, true);
        SegmentCount original = Segments.count(text);
        if (analysis.smartEncodingApplied()) {
            assertThat(analysis.count().segments()).isLessThan(original.segments());
            assertThat(analysis.count().encoding()).isEqualTo(SmsEncoding.GSM_7);
            assertThat(analysis.count()).isEqualTo(Segments.count(analysis.smartEncodedText().orElseThrow()));
        } else {
            assertThat(analysis.count()).isEqualTo(original);
            assertThat(analysis.replacements()).isEmpty();
        }
    }

    @Property
    @Label("the characters forcing UCS-2 are exactly the code points outside GSM-7")
    void ucs2CharactersAreTheNonGsmCodePoints(@ForAll("mixed") String text) {
        List<Ucs2Character> found = Segments.analyze(text, false).ucs2Characters();
        long expected = text.codePoints().filter(cp -> cp > 0xFFFF || !GsmAlphabet.contains((char) cp)).count();

        assertThat(found).hasSize((int) expected);
        for (Ucs2Character c : found) {
            assertThat(text.startsWith(c.character(), c.index())).isTrue();
        }
    }
}

package dev.dripline.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.TestCore;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Segments return exactly the contacts their filter selects, by Query (a required tag) or by Scan. */
@ExtendWith(EnginesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentsTest {

    private TestCore core;
    private Audience audience;
    private final Map<String, Contact> byName = new HashMap<>();

    @BeforeAll
    void contacts(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC());
        audience = core.dripline.audience();
        add("ann", "+14155550401", Map.of("tier", "gold", "orders", 5, "signupDate", "2026-01-15", "city", "Paris"), List.of("vip"));
        add("bob", "+14155550402", Map.of("tier", "silver", "orders", 12, "signupDate", "2025-06-01"), List.of("vip", "beta"));
        add("cid", "+14155550403", Map.of("tier", "gold", "orders", 1, "city", "Lyon"), List.of("beta"));
        add("dee", "+14155550404", Map.of("orders", 7, "signupDate", "2026-05-20", "vip", true), List.of());
        add("eve", "+14155550405", Map.of("tier", "gold", "orders", "many"), List.of("vip"));
        // Many members of one tag, to page through.
        for (int i = 0; i < 30; i++) {
            core.dripline.contacts().upsert(new ContactInput("+1415555" + (1000 + i), null, null, null, null, null,
                    Map.of("n", i), List.of("bulk"), null), "t");
        }
    }

    private void add(String name, String phone, Map<String, Object> attributes, List<String> tags) {
        byName.put(name, core.dripline.contacts().upsert(new ContactInput(phone, null, name, null, null, null, attributes, tags, null), "t")
                .contact());
    }

    private List<String> names(String filterJson) {
        Segment s = audience.createSegment("test", Json.read(filterJson, Object.class));
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Audience.Page page = audience.segmentContacts(s.id(), 2, cursor);
            page.items().forEach(c -> names.add(c.firstName()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return names;
    }

    @Test
    void aTagFilterIsAQueryOfTheTag() {
        Segment s = audience.createSegment("vips", Json.read("{\"tag\":\"vip\"}", Object.class));
        assertThat(s.evaluation()).isEqualTo("query:tag#vip");
        assertThat(names("{\"tag\":\"vip\"}")).containsExactlyInAnyOrder("ann", "bob", "eve");
    }

    @Test
    void aTagAndAttributesIsAQueryFilteredExactly() {
        String f = "{\"all\":[{\"tag\":\"vip\"},{\"attribute\":\"tier\",\"equals\":\"gold\"},{\"attribute\":\"orders\",\"gte\":3}]}";
        assertThat(audience.createSegment("x", Json.read(f, Object.class)).evaluation()).isEqualTo("query:tag#vip");
        // eve's orders is text: a number range never matches it.
        assertThat(names(f)).containsExactly("ann");
    }

    @Test
    void attributeOnlyAndAnyFiltersAreScansWithTheSameAnswer() {
        assertThat(names("{\"attribute\":\"tier\",\"in\":[\"gold\",\"silver\"]}")).containsExactlyInAnyOrder("ann", "bob", "cid", "eve");
        assertThat(names("{\"attribute\":\"orders\",\"gt\":4,\"lte\":12}")).containsExactlyInAnyOrder("ann", "bob", "dee");
        assertThat(names("{\"attribute\":\"signupDate\",\"after\":\"2025-12-31\"}")).containsExactlyInAnyOrder("ann", "dee");
        assertThat(names("{\"attribute\":\"signupDate\",\"before\":\"2026-01-01\"}")).containsExactly("bob");
        assertThat(names("{\"attribute\":\"city\",\"exists\":true}")).containsExactlyInAnyOrder("ann", "cid");
        assertThat(names("{\"attribute\":\"vip\",\"equals\":true}")).containsExactly("dee");
        assertThat(names("{\"any\":[{\"tag\":\"beta\"},{\"attribute\":\"city\",\"equals\":\"Paris\"}]}"))
                .containsExactlyInAnyOrder("ann", "bob", "cid");
        Segment scan = audience.createSegment("s", Json.read("{\"any\":[{\"tag\":\"beta\"},{\"tag\":\"vip\"}]}", Object.class));
        assertThat(scan.evaluation()).isEqualTo("scan");
    }

    @Test
    void pagesOfATagCoverEveryMemberOnce() {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Audience.Page page = audience.find(null, "bulk", null, 7, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(7);
            page.items().forEach(c -> ids.add(c.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(ids).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void findByPhoneAndTagAndSegment() {
        assertThat(audience.find("+14155550401", null, null, 10, null).items()).extracting(Contact::firstName).containsExactly("ann");
        assertThat(audience.find("+14155550401", "beta", null, 10, null).items()).isEmpty();
        Segment gold = audience.createSegment("gold", Json.read("{\"attribute\":\"tier\",\"equals\":\"gold\"}", Object.class));
        assertThat(audience.find(null, "beta", gold.id(), 10, null).items()).extracting(Contact::firstName).containsExactly("cid");
    }

    @Test
    void aBadFilterNamesEveryBadPart() {
        assertThatThrownBy(() -> audience.createSegment("", Json.read(
                "{\"all\":[{\"tag\":\"\"},{\"attribute\":\"orders\",\"gte\":\"three\"},{\"attribute\":\"d\",\"after\":\"soon\"},"
                        + "{\"attribute\":\"x\",\"like\":\"y\"},{\"nonsense\":1}]}", Object.class)))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("name", "filter.all[0].tag", "filter.all[1].gte", "filter.all[2].after",
                                "filter.all[3].like", "filter.all[4]"));
    }
}

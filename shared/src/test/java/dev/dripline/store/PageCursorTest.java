package dev.dripline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.errors.InvalidInput;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PageCursorTest {

    private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("seg_1"), "sk", AttributeValue.fromS("segment"));

    @Test
    void aCursorOpensOnlyOnItsOwnList() {
        String cursor = PageCursor.encode("segments", KEY);
        assertThat(PageCursor.decode(cursor, "segments", Set.of("pk", "sk"))).isEqualTo(KEY);
        assertRefused(() -> PageCursor.decode(cursor, "imports", Set.of("pk", "sk")));
        assertRefused(() -> PageCursor.decode(cursor, "segments", Set.of("id")));
    }

    @Test
    void aListNameCannotSmuggleKeyLines() {
        // Were the list written raw, "x\npk=..." would read as list "x" with an extra key line.
        String cursor = PageCursor.encode("x\npk=seg_2", Map.of("sk", AttributeValue.fromS("segment")));
        assertRefused(() -> PageCursor.decode(cursor, "x", Set.of("pk", "sk")));
        assertThat(PageCursor.decode(cursor, "x\npk=seg_2", Set.of("sk"))).containsOnlyKeys("sk");
    }

    @Test
    void anythingButASignedCursorIsInvalidInputNamingCursor() {
        String cursor = PageCursor.encode("segments", KEY);
        for (String bad : new String[] {"", ".", "abc", "a.b.c", "!!!.???", cursor + "x", "x" + cursor, cursor.replace('.', '-')}) {
            assertRefused(() -> PageCursor.decode(bad, "segments", Set.of("pk", "sk")));
        }
        assertThat(PageCursor.start(null, "segments", Set.of("pk", "sk"))).isNull();
        assertThat(PageCursor.start(" ", "segments", Set.of("pk", "sk"))).isNull();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).errors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("cursor")));
    }
}

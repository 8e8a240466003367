package dev.dripline.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldNamesTest {

    private static final List<String> MESSAGE = List.of("to", "country", "body", "category", "from", "sendAt", "smartEncoding");

    @Test
    void snakeAndKebabCaseFindTheirCamelCaseField() {
        assertThat(FieldNames.nearest("send_at", MESSAGE)).contains("sendAt");
        assertThat(FieldNames.nearest("smart-encoding", MESSAGE)).contains("smartEncoding");
        assertThat(FieldNames.nearest("first_name", List.of("phone", "firstName", "lastName"))).contains("firstName");
    }

    @Test
    void aTypoFindsTheFieldItMissed() {
        assertThat(FieldNames.nearest("categroy", MESSAGE)).contains("category");
        assertThat(FieldNames.nearest("bdy", MESSAGE)).contains("body");
    }

    @Test
    void aNameCloseToNothingSuggestsNothing() {
        assertThat(FieldNames.nearest("optedIn", List.of("phone", "firstName", "consent"))).isEmpty();
        assertThat(FieldNames.nearest("zzzzzz", MESSAGE)).isEmpty();
    }
}

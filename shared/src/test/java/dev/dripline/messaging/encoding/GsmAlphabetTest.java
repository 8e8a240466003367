package dev.dripline.messaging.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GsmAlphabetTest {

    @Test
    void basicTableHas128SeptetsWithTheEscapeAt0x1B() {
        assertThat(GsmAlphabet.BASIC_TABLE).hasSize(128);
        assertThat(GsmAlphabet.BASIC_TABLE.charAt(GsmAlphabet.ESCAPE_SEPTET)).isEqualTo('\u001B');
        assertThat(GsmAlphabet.BASIC_TABLE.charAt(0x09)).isEqualTo('Ç');
        assertThat(GsmAlphabet.BASIC_TABLE.charAt(0x24)).isEqualTo('¤');
        assertThat(GsmAlphabet.BASIC_TABLE.charAt(0x7F)).isEqualTo('à');
    }

    @Test
    void exactly127BasicAnd10ExtensionCharsAreGsm() {
        int basic = 0;
        int extension = 0;
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            switch (GsmAlphabet.septets((char) c)) {
                case 1 -> basic++;
                case 2 -> extension++;
                default -> { }
            }
        }
        assertThat(basic).isEqualTo(127);
        assertThat(extension).isEqualTo(10);
    }

    @Test
    void extensionCharactersCostTwoSeptets() {
        for (char c : "^{}\\[~]|€\f".toCharArray()) {
            assertThat(GsmAlphabet.septets(c)).as("U+%04X", (int) c).isEqualTo(2);
            assertThat(GsmAlphabet.isExtension(c)).isTrue();
        }
    }

    @Test
    void accentedLettersOfTheBasicTableCostOneSeptet() {
        for (char c : "éèùìòÇØøÅåÄÖÑÜ§¿¡ßÉÆæàäöñü£¥¤$@_ΔΦΓΛΩΠΨΣΘΞ\r\n".toCharArray()) {
            assertThat(GsmAlphabet.septets(c)).as("U+%04X %s", (int) c, c).isEqualTo(1);
        }
    }

    @Test
    void turkishPortugueseAndOtherAccentsAreNotGsm() {
        for (char c : "çãõşğıáíóúâêôÁÍÓÚÃÕŞĞİûîÂÊÔœŒ`\t\u001B".toCharArray()) {
            assertThat(GsmAlphabet.contains(c)).as("U+%04X %s", (int) c, c).isFalse();
        }
    }

    @Test
    void greekCapitalsThatLookLatinAreNotInTheTable() {
        // GSM carries only the Greek capitals without a Latin twin; Α (U+0391) is not 'A'.
        assertThat(GsmAlphabet.contains('\u0391')).isFalse();
        assertThat(GsmAlphabet.contains('α')).isFalse();
    }
}

package io.lxcautoscale.common.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTextTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void wholeNumberReadsDigitsMaxAndRejectsEverythingElse() {
        assertThat(ByteText.wholeNumber(b("123456\n"), 7)).isEqualTo(123456);
        assertThat(ByteText.wholeNumber(b("max\n"), 4)).isEqualTo(ByteText.UNLIMITED);
        assertThat(ByteText.wholeNumber(b("-1\n"), 3)).isEqualTo(ByteText.GARBAGE);
        assertThat(ByteText.wholeNumber(b(""), 0)).isEqualTo(ByteText.GARBAGE);
        assertThat(ByteText.wholeNumber(b("99999999999999999999"), 20)).isEqualTo(ByteText.GARBAGE);
    }

    @Test
    void keyedFindsWholeKeysOnlyAtLineStart() {
        byte[] text = b("oom 1\noom_kill 7\nhigh 3\nmax 9\n");
        assertThat(ByteText.keyed(text, text.length, ByteText.key("oom"))).isEqualTo(1);
        assertThat(ByteText.keyed(text, text.length, ByteText.key("oom_kill"))).isEqualTo(7);
        assertThat(ByteText.keyed(text, text.length, ByteText.key("kill"))).isEqualTo(ByteText.ABSENT);
        byte[] tabs = b("VmRSS:\t   51234 kB\n");
        assertThat(ByteText.keyed(tabs, tabs.length, ByteText.key("VmRSS:"))).isEqualTo(51234);
    }

    @Test
    void psiAvg10OfSomeAndFull() {
        byte[] text = b("some avg10=1.50 avg60=0.80 avg300=0.20 total=123456\nfull avg10=0.05 avg60=0.10 avg300=0.00 total=2\n");
        assertThat(ByteText.psiAvg10(text, text.length, ByteText.key("some"))).isEqualTo(1.5);
        assertThat(ByteText.psiAvg10(text, text.length, ByteText.key("full"))).isEqualTo(0.05);
        byte[] onlySome = b("some avg10=2.00 avg60=0 avg300=0 total=0\n");
        assertThat(ByteText.psiAvg10(onlySome, onlySome.length, ByteText.key("full"))).isNaN();
        byte[] bad = b("some avg10=x avg60=0\n");
        assertThat(ByteText.psiAvg10(bad, bad.length, ByteText.key("some"))).isEqualTo(ByteText.GARBAGE_DOUBLE);
    }
}

package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class KeySlotProperties {
  /** Keys over a small alphabet rich in braces, so tags, empty tags and unclosed braces are common. */
  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().withChars("{}ab1\u00ff\u0000").ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> plain() {
    return Arbitraries.strings().withCharRange((char) 0, (char) 255).excludeChars('{', '}').ofMaxLength(20);
  }

  /** The check value of CRC-16/XMODEM (the catalogue's "123456789" vector) and the examples in the cluster spec. */
  @Example
  void knownValues() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0x31C3, KeySlot.crc16(check, 0, check.length));
    assertEquals(KeySlot.of("user1000"), KeySlot.of("{user1000}.following"));
    assertEquals(KeySlot.of("user1000"), KeySlot.of("{user1000}.followers"));
    assertEquals(KeySlot.of("foo{}{bar}"), KeySlot.crc16("foo{}{bar}".getBytes(StandardCharsets.US_ASCII), 0, 10) & 16383,
        "an empty first tag hashes the whole key");
    byte[] openBar = "{bar".getBytes(StandardCharsets.US_ASCII);
    assertEquals(KeySlot.crc16(openBar, 0, 4) & 16383, KeySlot.of("foo{{bar}}zap"), "the tag of foo{{bar}}zap is {bar");
    assertEquals(KeySlot.of("bar"), KeySlot.of("foo{bar}{zap}"), "only the first tag counts");
  }

  @Property(tries = 2000)
  void everySlotIsInRange(@ForAll("keys") String key) {
    int s = KeySlot.of(key);
    assertTrue(s >= 0 && s < KeySlot.SLOTS, key + " -> " + s);
  }

  /** A non-empty tag decides the slot whatever surrounds it, as long as the prefix has no '{'. */
  @Property(tries = 2000)
  void aNonEmptyTagDecidesTheSlot(@ForAll("plain") String prefix, @ForAll("plain") String tag, @ForAll("keys") String suffix) {
    if (tag.isEmpty()) return;
    assertEquals(KeySlot.of(tag), KeySlot.of(prefix + "{" + tag + "}" + suffix));
  }

  /** Without a usable tag (no '{', no '}' after it, or "{}" first) the slot is the whole key's CRC16. */
  @Property(tries = 2000)
  void withoutATagTheWholeKeyIsHashed(@ForAll("plain") String a, @ForAll("keys") String b, @ForAll("plain") String c) {
    for (String key : new String[] {a, a + "{" + c, a + "{}" + b}) {
      byte[] bytes = key.getBytes(StandardCharsets.ISO_8859_1);
      assertEquals(KeySlot.crc16(bytes, 0, bytes.length) & 16383, KeySlot.of(key), key);
    }
  }
}

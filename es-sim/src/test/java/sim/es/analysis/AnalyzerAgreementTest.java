package sim.es.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our analyzers emit exactly Lucene 9.12's token streams (terms, positions, offsets, types) on tricky text. */
class AnalyzerAgreementTest {
  static final List<String> TRICKY = List.of(
      "The Quick Brown Fox jumped over the lazy dog's back.",
      "Visit https://www.elastic.co/guide/en/elasticsearch/reference/8.15/index.html?q=a+b#top now",
      "mail john.doe+tag@example.com or JOHN_DOE@Example.COM",
      "don't won't O'Neil l'avion rock'n'roll 'quoted' ''double''",
      "3.14 1,000,000 2024-06-01 10:30 v1.2.3 192.168.0.1 A1B2 1st 0x1F $5.99 -12 +7 ½ ٣٤",
      "1_000 foo_bar __init__ _x_ a__b",
      "东京都 中华人民共和国 日本語のテキスト カタカナ ひらがな 한국어 텍스트",
      "ภาษาไทย ພາສາລາວ ខ្មែរ မြန်မာ",
      "emoji 😀😃 👍🏽 👨‍👩‍👧‍👦 🇺🇸🇫🇷 #️⃣ 1️⃣ 3⃣ ©️ ™ ❤️ ☺︎ 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🫰",
      "Ünïcödé ÇAFÉ naïve résumé Straße İstanbul ΣΊΣΥΦΟΣ Ǆemal",
      "שָׁלוֹם צה\"ל ג'ירפה עברית",
      "tab\tnew\nline\r\ncr\u00a0nbsp\u2028ls\u3000ideo",
      "a\u0301b\u200dc\u00ad d\u200be\ufeff f\u2060g",
      "x.y.z a.b 1.a a.1 U.S.A. e.g. i.e.",
      "𝐀𝐁𝐂 𝒳 𠀀𠀁 𐐀𐐨",
      "",
      "    ",
      "!!! ??? ... --- ***",
      "C++ C# .NET node.js AT&T R&D 50% 100°C");

  static Stream<Arguments> cases() {
    return Stream.of("standard", "simple", "whitespace", "keyword")
        .flatMap(a -> TRICKY.stream().map(t -> Arguments.of(a, t)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void sameTokensAsLucene(String analyzer, String text) {
    assertEquals(LuceneTokens.tokens(LuceneTokens.analyzer(analyzer), text), Analyzer.named(analyzer).tokens(text), text);
  }

  @ParameterizedTest(name = "long tokens: {0}")
  @MethodSource("longTexts")
  void longTokensAreCutLikeLucene(String text) {
    for (String a : List.of("standard", "simple", "whitespace", "keyword")) {
      assertEquals(LuceneTokens.tokens(LuceneTokens.analyzer(a), text), Analyzer.named(a).tokens(text), a);
    }
  }

  static Stream<String> longTexts() {
    return Stream.of("a".repeat(600), "x " + "b".repeat(254) + "c.d" + " y", "1".repeat(300) + ".5",
        "𝐀".repeat(200), "a" + "𝐀".repeat(127) + " z", "東".repeat(300), "ไทย".repeat(100), "a.".repeat(200));
  }
}

package sim.es.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** On random text our analyzers and Lucene 9.12's agree token for token. */
class AnalyzerProperties {
  private final org.apache.lucene.analysis.Analyzer luceneStandard = LuceneTokens.analyzer("standard");
  private final org.apache.lucene.analysis.Analyzer luceneSimple = LuceneTokens.analyzer("simple");
  private final org.apache.lucene.analysis.Analyzer luceneWhitespace = LuceneTokens.analyzer("whitespace");

  @Property(tries = 3000)
  void standardAgreesWithLuceneOnMixedText(@ForAll("mixed") String text) {
    assertEquals(LuceneTokens.tokens(luceneStandard, text), Analyzers.standard().tokens(text), () -> escape(text));
  }

  @Property(tries = 3000)
  void standardAgreesWithLuceneOnAnyCodePoints(@ForAll("anyCodePoints") String text) {
    assertEquals(LuceneTokens.tokens(luceneStandard, text), Analyzers.standard().tokens(text), () -> escape(text));
  }

  @Property(tries = 1000)
  void simpleAndWhitespaceAgreeWithLucene(@ForAll("mixed") String text) {
    assertEquals(LuceneTokens.tokens(luceneSimple, text), Analyzers.simple().tokens(text), () -> escape(text));
    assertEquals(LuceneTokens.tokens(luceneWhitespace, text), Analyzers.whitespace().tokens(text), () -> escape(text));
  }

  /** Text made of the characters the word-break rules treat specially, so rule interactions get exercised. */
  @Provide
  Arbitrary<String> mixed() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of("a", "Z", "é", "ß", "1", "٣", "０", "_", "'", "\"", ".", ",", ":", ";", "-", "@", "/", "#", "*",
            " ", "\t", "\n", "\r\n", "\u00a0", "\u200d", "\u200c", "\u00ad", "\u0301", "\ufe0f", "\ufe0e", "\u20e3", "\u2060",
            "东", "京", "の", "カ", "ー", "한", "ㄱ", "ไ", "ท", "ย", "ש", "ׁ", "״", "😀", "👍", "🏽", "🇺", "🇸", "❤", "©", "™",
            "\uDB40\uDC67", "\uDB40\uDC7F", "𝐀", "𠀀", "Σ", "İ", "Ǆ", "·", "׳", "：", "．", "ʼ", "\u3000", "〃", "々"),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(4));
    return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> anyCodePoints() {
    Arbitrary<Integer> cp = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 0xD7FF),
        Arbitraries.integers().between(0xE000, 0x10FFFF),
        Arbitraries.integers().between(0x20, 0x7E));
    return cp.list().ofMaxSize(30).map(l -> {
      StringBuilder b = new StringBuilder();
      l.forEach(b::appendCodePoint);
      return b.toString();
    });
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u{%X}", c) : String.valueOf((char) c)));
    return b.toString();
  }
}

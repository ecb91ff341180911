package sim.es.analysis;

import static sim.es.analysis.CharClasses.*;
import static sim.es.analysis.Grammar.alt;
import static sim.es.analysis.Grammar.chars;
import static sim.es.analysis.Grammar.opt;
import static sim.es.analysis.Grammar.plus;
import static sim.es.analysis.Grammar.seq;
import static sim.es.analysis.Grammar.star;

import java.util.List;
import sim.core.Check;

/**
 * UAX #29 word segmentation as Lucene's StandardTokenizer does it: the rules of StandardTokenizerImpl.jflex,
 * compiled to one automaton, scanned with JFlex's longest match. Segments of punctuation, spaces and symbols
 * are not tokens; ideographs and hiragana are one token per character; runs of South-East Asian scripts are
 * kept together (Line_Break=Complex_Context, no dictionary); emoji sequences are tokens.
 *
 * <p>A token longer than {@code maxTokenLength} is cut there and scanning resumes after it, because Lucene's
 * scanner buffer is exactly that long and never grows (its "disable buffer expansion" skeleton); a buffer
 * that would end between the two halves of a surrogate pair ends one char earlier.
 */
public final class StandardTokenizer {
  public static final int DEFAULT_MAX_TOKEN_LENGTH = 255;
  static final String[] TYPES = {"<EMOJI>", "<NUM>", "<HANGUL>", "<KATAKANA>", "<ALPHANUM>", "<SOUTHEAST_ASIAN>",
      "<IDEOGRAPHIC>", "<HIRAGANA>"};
  private static final Automaton AUTOMATON = Automaton.compile(rules());

  /** Receives each token of a scan, as offsets into the text and a rule index into {@link #TYPES}. */
  public interface Sink {
    void token(int start, int end, int rule);
  }

  private StandardTokenizer() {}

  public static void scan(CharSequence text, int maxTokenLength, Sink sink) {
    Check.argument(maxTokenLength > 1, "max_token_length must be at least 2, got %s", maxTokenLength);
    int length = text.length();
    int pos = 0;
    while (pos < length) {
      int limit = Math.min(length, pos + maxTokenLength);
      if (limit < length && Character.isHighSurrogate(text.charAt(limit - 1))) limit--;
      int state = AUTOMATON.start();
      int end = -1;
      int rule = -1;
      int i = pos;
      while (i < limit) {
        int cp = codePointAt(text, i, limit);
        state = AUTOMATON.next(state, classOf(cp));
        if (state == Automaton.DEAD) break;
        i += Character.charCount(cp);
        int accepted = AUTOMATON.accept(state);
        if (accepted >= 0) {
          end = i;
          rule = accepted;
        }
      }
      if (end < 0) {
        pos += Character.charCount(codePointAt(text, pos, limit)); // [^]: not a word; skip one code point
      } else {
        sink.token(pos, end, rule);
        pos = end;
      }
    }
  }

  private static int codePointAt(CharSequence text, int i, int limit) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < limit) {
      char d = text.charAt(i + 1);
      if (Character.isLowSurrogate(d)) return Character.toCodePoint(c, d);
    }
    return c;
  }

  static int automatonStates() {
    return AUTOMATON.stateCount();
  }

  /** StandardTokenizerImpl.jflex's rules, in its order. */
  private static List<Grammar> rules() {
    int extFmtZwjFlags = FORMAT | EXTEND | ZWJ;
    Grammar extFmtZwj = star(chars(extFmtZwjFlags));
    // WB4 for emoji: FE0E and FE0F are left out so the presentation selectors can be matched explicitly
    Grammar extSansPresSel = star(new Grammar.Chars(f -> (f & extFmtZwjFlags) != 0 && (f & (TEXT_PRESENTATION | EMOJI_PRESENTATION)) == 0));
    Grammar keyCapBaseEx = seq(chars(KEYCAP_BASE), extSansPresSel);
    Grammar keyCapEx = seq(chars(KEYCAP), extSansPresSel);
    int rkam = REGIONAL_INDICATOR | KEYCAP_BASE | ACCIDENTAL_EMOJI | EMOJI_MODIFIER;
    Grammar emojiChar = new Grammar.Chars(f -> (f & EXTENDED_PICTOGRAPHIC) != 0 || ((f & EMOJI) != 0 && (f & rkam) == 0));
    Grammar emojiCharEx = seq(emojiChar, extSansPresSel);
    Grammar modifierBaseEx = seq(chars(EMOJI_MODIFIER_BASE), extSansPresSel);
    Grammar modifierEx = seq(chars(EMOJI_MODIFIER), extSansPresSel);
    Grammar zwj = chars(ZWJ);
    Grammar presentationSelector = chars(EMOJI_PRESENTATION);
    Grammar emojiSeq = alt(seq(star(zwj), emojiCharEx, opt(presentationSelector)),
        seq(opt(seq(star(zwj), modifierBaseEx)), modifierEx));
    Grammar regionalIndicatorEx = seq(chars(REGIONAL_INDICATOR), extFmtZwj);
    Grammar emoji = alt(
        seq(emojiSeq, alt(star(seq(zwj, emojiSeq)), seq(plus(chars(TAG_SPEC)), chars(TAG_TERM)))),
        seq(keyCapBaseEx, opt(presentationSelector), keyCapEx),
        seq(regionalIndicatorEx, regionalIndicatorEx));

    Grammar hangulEx = seq(new Grammar.Chars(f -> (f & HANGUL) != 0 && (f & (A_LETTER | HEBREW_LETTER)) != 0), extFmtZwj);
    Grammar ahLetterEx = seq(chars(A_LETTER | HEBREW_LETTER), extFmtZwj);
    Grammar numericEx = seq(chars(NUMERIC | FULLWIDTH_DIGIT), extFmtZwj);
    Grammar katakanaEx = seq(chars(KATAKANA), extFmtZwj);
    Grammar midLetterEx = seq(chars(MID_LETTER | MID_NUM_LET | SINGLE_QUOTE), extFmtZwj);
    Grammar midNumericEx = seq(chars(MID_NUM | MID_NUM_LET | SINGLE_QUOTE), extFmtZwj);
    Grammar extendNumLetEx = seq(chars(EXTEND_NUM_LET), extFmtZwj);
    Grammar hanEx = seq(chars(HAN), extFmtZwj);
    Grammar hiraganaEx = seq(chars(HIRAGANA), extFmtZwj);
    Grammar singleQuoteEx = seq(chars(SINGLE_QUOTE), extFmtZwj);
    Grammar doubleQuoteEx = seq(chars(DOUBLE_QUOTE), extFmtZwj);
    Grammar hebrewLetterEx = seq(chars(HEBREW_LETTER), extFmtZwj);
    Grammar complexContextEx = seq(chars(COMPLEX_CONTEXT), extFmtZwj);

    // WB8, WB11, WB12, WB13a, WB13b
    Grammar numberRun = seq(numericEx, star(seq(alt(star(extendNumLetEx), midNumericEx), numericEx)));
    Grammar number = seq(star(extendNumLetEx), numberRun, star(extendNumLetEx));
    // WB5-WB7c, WB9, WB10, WB13, WB13a, WB13b
    Grammar wordPart = alt(
        seq(katakanaEx, star(seq(star(extendNumLetEx), katakanaEx))),
        plus(alt(
            seq(hebrewLetterEx, alt(singleQuoteEx, seq(doubleQuoteEx, hebrewLetterEx))),
            numberRun,
            seq(ahLetterEx, star(seq(alt(star(extendNumLetEx), midLetterEx), ahLetterEx))))));
    Grammar word = seq(star(extendNumLetEx), wordPart, star(seq(plus(extendNumLetEx), wordPart)), star(extendNumLetEx));

    return List.of(emoji, number, plus(hangulEx), plus(katakanaEx), word, plus(complexContextEx), hanEx, hiraganaEx);
  }
}

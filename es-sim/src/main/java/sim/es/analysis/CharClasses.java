package sim.es.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The character properties the standard tokenizer's grammar is written in: Word_Break values (UAX #29),
 * scripts, Line_Break=Complex_Context and the emoji properties, as Lucene's StandardTokenizerImpl.jflex reads
 * them (the Unicode 12.1 tables of the JFlex it was generated with, emoji data of its UnicodeEmojiProperties.jflex). Loaded from
 * {@code word-break-data.txt}, which {@code es-sim/scripts/WordBreakData.java} generates from the Unicode
 * Character Database. Each code point maps to one small class id (code points with equal flags share one), so
 * the tokenizer's automaton has a small alphabet.
 */
public final class CharClasses {
  public static final int A_LETTER = 1, HEBREW_LETTER = 1 << 1, NUMERIC = 1 << 2, KATAKANA = 1 << 3,
      MID_LETTER = 1 << 4, MID_NUM_LET = 1 << 5, SINGLE_QUOTE = 1 << 6, MID_NUM = 1 << 7, EXTEND_NUM_LET = 1 << 8,
      DOUBLE_QUOTE = 1 << 9, REGIONAL_INDICATOR = 1 << 10, FORMAT = 1 << 11, EXTEND = 1 << 12, ZWJ = 1 << 13,
      HAN = 1 << 14, HIRAGANA = 1 << 15, HANGUL = 1 << 16, COMPLEX_CONTEXT = 1 << 17, FULLWIDTH_DIGIT = 1 << 18,
      EMOJI = 1 << 19, EMOJI_MODIFIER = 1 << 20, EMOJI_MODIFIER_BASE = 1 << 21, EXTENDED_PICTOGRAPHIC = 1 << 22,
      KEYCAP_BASE = 1 << 23, KEYCAP = 1 << 24, ACCIDENTAL_EMOJI = 1 << 25, TEXT_PRESENTATION = 1 << 26,
      EMOJI_PRESENTATION = 1 << 27, TAG_SPEC = 1 << 28, TAG_TERM = 1 << 29;

  private static final byte[] CLASS_OF = new byte[Character.MAX_CODE_POINT + 1];
  private static final int[] FLAGS_OF_CLASS;

  static {
    Map<Integer, Integer> classes = new LinkedHashMap<>();
    classes.put(0, 0);
    try (InputStream in = CharClasses.class.getResourceAsStream("word-break-data.txt")) {
      if (in == null) throw new IllegalStateException("word-break-data.txt is missing from the classpath");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] parts = line.split(" ");
        int first = Integer.parseInt(parts[0], 16);
        int last = Integer.parseInt(parts[1], 16);
        int flags = Integer.parseInt(parts[2], 16);
        Integer id = classes.computeIfAbsent(flags, f -> classes.size());
        if (id > 127) throw new IllegalStateException("more than 128 character classes");
        for (int cp = first; cp <= last; cp++) CLASS_OF[cp] = (byte) (int) id;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Integer> flags = new ArrayList<>(classes.keySet());
    FLAGS_OF_CLASS = flags.stream().mapToInt(Integer::intValue).toArray();
  }

  private CharClasses() {}

  /** The class id of a code point: code points with the same properties share one. */
  public static int classOf(int codePoint) {
    return CLASS_OF[codePoint];
  }

  public static int classCount() {
    return FLAGS_OF_CLASS.length;
  }

  public static int flagsOfClass(int classId) {
    return FLAGS_OF_CLASS[classId];
  }

  public static int flags(int codePoint) {
    return FLAGS_OF_CLASS[CLASS_OF[codePoint]];
  }
}

package sim.es.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.es.analysis.Analyzer;

/**
 * Lucene's in-memory indexing buffer (IndexWriter's DocumentsWriter): documents are inverted as they
 * arrive — analysed, each token appended to its term's postings — but nothing here is searchable. A refresh
 * {@link #freeze freezes} the buffer into an immutable {@link Segment}: terms sorted into the dictionary,
 * norms encoded, doc values laid out.
 */
public final class IndexingBuffer {
  /** Elasticsearch's {@code position_increment_gap} for text: phrases never match across two values. */
  public static final int POSITION_INCREMENT_GAP = 100;

  private final Mapping mapping;
  private final List<String> ids = new ArrayList<>();
  private final List<String> sources = new ArrayList<>();
  private final List<Long> seqNos = new ArrayList<>();
  private final BitSet deleted = new BitSet();
  private final Map<String, FieldBuilder> inverted = new TreeMap<>();
  private final Map<String, List<double[]>> numeric = new TreeMap<>();
  private final Map<String, List<String[]>> keywords = new TreeMap<>();
  private long ramBytes;

  public IndexingBuffer(Mapping mapping) {
    this.mapping = mapping;
  }

  public int numDocs() {
    return ids.size();
  }

  public boolean isEmpty() {
    return ids.isEmpty();
  }

  public long ramBytesUsed() {
    return ramBytes;
  }

  /** Inverts the document; returns its doc id in the buffer (the future segment's doc id). */
  public int add(ParsedDocument doc, long seqNo) {
    int docId = ids.size();
    ids.add(doc.id());
    sources.add(doc.source());
    seqNos.add(seqNo);
    ramBytes += doc.source().length() * 2L + 64;
    for (Map.Entry<String, List<JsonNode>> e : doc.values().entrySet()) {
      String field = e.getKey();
      FieldType type = mapping.type(field);
      if (type == null) continue;
      switch (type) {
        case TEXT -> {
          invertText(field, e.getValue(), docId);
          List<String> kw = new ArrayList<>();
          for (JsonNode v : e.getValue()) if (v.asText().length() <= Mapping.KEYWORD_IGNORE_ABOVE) kw.add(v.asText());
          if (!kw.isEmpty() && mapping.type(field + ".keyword") == FieldType.KEYWORD) addKeyword(field + ".keyword", kw, docId);
        }
        case KEYWORD -> {
          List<String> kw = new ArrayList<>();
          for (JsonNode v : e.getValue()) kw.add(v.asText());
          addKeyword(field, kw, docId);
        }
        default -> addNumeric(field, type, e.getValue(), docId);
      }
    }
    return docId;
  }

  /** Marks a buffered doc deleted (an update or delete of a doc not yet refreshed). */
  public void delete(int docId) {
    deleted.set(docId);
  }

  public boolean isDeleted(int docId) {
    return deleted.get(docId);
  }

  public String id(int docId) {
    return ids.get(docId);
  }

  public String source(int docId) {
    return sources.get(docId);
  }

  private void invertText(String field, List<JsonNode> values, int docId) {
    FieldBuilder fb = inverted.computeIfAbsent(field, f -> new FieldBuilder(true));
    Analyzer analyzer = mapping.analyzer(field);
    int[] base = {0};
    int[] length = {0};
    for (int v = 0; v < values.size(); v++) {
      if (v > 0) base[0] += POSITION_INCREMENT_GAP;
      int[] last = {base[0] - 1};
      analyzer.analyze(values.get(v).asText(), (term, position, start, end, type) -> {
        int pos = base[0] + position;
        fb.add(term, docId, pos);
        last[0] = pos;
        length[0]++;
      });
      base[0] = last[0] + 1;
    }
    fb.setLength(docId, length[0]);
  }

  private void addKeyword(String field, List<String> values, int docId) {
    FieldBuilder fb = inverted.computeIfAbsent(field, f -> new FieldBuilder(false));
    for (String v : values) fb.add(v, docId, -1);
    fb.setLength(docId, values.size());
    String[] sorted = values.stream().distinct().sorted(Terms.ORDER).toArray(String[]::new);
    put(keywords.computeIfAbsent(field, f -> new ArrayList<>()), docId, sorted);
  }

  private void addNumeric(String field, FieldType type, List<JsonNode> values, int docId) {
    double[] out = new double[values.size()];
    int n = 0;
    for (JsonNode v : values) {
      out[n++] = switch (type) {
        case DATE -> v.isNumber() ? v.asLong() : Mapping.parseDate(v.asText());
        case BOOLEAN -> v.asBoolean() ? 1 : 0;
        case LONG -> {
          if (!v.isNumber() && !v.asText().matches("-?\\d+")) throw new IllegalArgumentException("failed to parse field [" + field + "] of type [long]: [" + v.asText() + "]");
          yield v.isNumber() ? v.asLong() : Long.parseLong(v.asText());
        }
        default -> {
          if (!v.isNumber()) {
            try {
              yield Float.parseFloat(v.asText());
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("failed to parse field [" + field + "] of type [float]: [" + v.asText() + "]");
            }
          }
          yield (float) v.asDouble(); // a float field keeps float precision
        }
      };
    }
    Arrays.sort(out);
    put(numeric.computeIfAbsent(field, f -> new ArrayList<>()), docId, out);
  }

  private static <T> void put(List<T> perDoc, int docId, T value) {
    while (perDoc.size() < docId) perDoc.add(null);
    perDoc.add(value);
  }

  /** Writes the buffer out as an immutable segment. */
  public Segment freeze(String name) {
    int maxDoc = ids.size();
    Map<String, InvertedField> fields = new TreeMap<>();
    for (Map.Entry<String, FieldBuilder> e : inverted.entrySet()) fields.put(e.getKey(), e.getValue().build(maxDoc));
    Map<String, double[][]> nums = new TreeMap<>();
    for (Map.Entry<String, List<double[]>> e : numeric.entrySet()) nums.put(e.getKey(), pad(e.getValue(), maxDoc, new double[maxDoc][]));
    Map<String, String[][]> kws = new TreeMap<>();
    for (Map.Entry<String, List<String[]>> e : keywords.entrySet()) kws.put(e.getKey(), pad(e.getValue(), maxDoc, new String[maxDoc][]));
    long[] seq = new long[maxDoc];
    for (int i = 0; i < maxDoc; i++) seq[i] = seqNos.get(i);
    return new Segment(name, ids.toArray(new String[0]), sources.toArray(new String[0]), seq, fields, nums, kws);
  }

  /** The buffered deletes, to carry into the new segment's live docs. */
  public BitSet deletedDocs() {
    return (BitSet) deleted.clone();
  }

  private static <T> T[] pad(List<T> perDoc, int maxDoc, T[] out) {
    for (int i = 0; i < perDoc.size() && i < maxDoc; i++) out[i] = perDoc.get(i);
    return out;
  }

  /** One field's postings while the buffer fills: per term, the docs, freqs and positions so far. */
  private static final class FieldBuilder {
    final boolean positions;
    final Map<String, Postings> terms = new HashMap<>();
    final IntList lengthByDoc = new IntList(16);

    FieldBuilder(boolean positions) {
      this.positions = positions;
    }

    void add(String term, int doc, int position) {
      Postings p = terms.get(term);
      if (p == null) {
        p = new Postings(positions);
        terms.put(term, p);
      }
      p.add(doc, position);
    }

    void setLength(int doc, int length) {
      while (lengthByDoc.size() < doc) lengthByDoc.add(-1);
      lengthByDoc.add(length);
    }

    InvertedField build(int maxDoc) {
      String[] sorted = terms.keySet().toArray(new String[0]);
      Arrays.sort(sorted, Terms.ORDER);
      int[][] docs = new int[sorted.length][];
      int[][] freqs = positions ? new int[sorted.length][] : null;
      int[][] pos = positions ? new int[sorted.length][] : null;
      long sumTotalTermFreq = 0;
      long sumDocFreq = 0;
      for (int t = 0; t < sorted.length; t++) {
        Postings p = terms.get(sorted[t]);
        docs[t] = p.docs.toArray();
        sumDocFreq += docs[t].length;
        if (positions) {
          freqs[t] = p.freqs.toArray();
          pos[t] = p.positions.toArray();
          sumTotalTermFreq += pos[t].length;
        }
      }
      if (!positions) sumTotalTermFreq = sumDocFreq; // freqs not indexed: Lucene reports totalTermFreq = docFreq
      byte[] norms = positions ? new byte[maxDoc] : null;
      int docCount = 0;
      for (int d = 0; d < lengthByDoc.size(); d++) {
        int length = lengthByDoc.get(d);
        if (length <= 0) continue; // a value with no tokens writes norm 0 and is not counted in docCount
        docCount++;
        if (norms != null) norms[d] = SmallFloat.intToByte4(length);
      }
      return new InvertedField(sorted, docs, freqs, pos, norms, docCount, sumTotalTermFreq, sumDocFreq);
    }
  }

  private static final class Postings {
    final IntList docs = new IntList(2);
    final IntList freqs;
    final IntList positions;

    Postings(boolean withPositions) {
      freqs = withPositions ? new IntList(2) : null;
      positions = withPositions ? new IntList(2) : null;
    }

    void add(int doc, int position) {
      boolean newDoc = docs.size() == 0 || docs.last() != doc;
      if (newDoc) docs.add(doc);
      if (freqs == null) return;
      if (newDoc) freqs.add(1);
      else freqs.set(freqs.size() - 1, freqs.last() + 1);
      positions.add(position);
    }
  }
}

package sim.es.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton compiled from prioritised {@link Grammar} rules, as JFlex compiles a scanner:
 * Thompson construction of one NFA per rule, then the subset construction over the character classes of
 * {@link CharClasses}. A DFA state accepts with the smallest rule index among its NFA states, which is
 * JFlex's "the rule written first wins a tie".
 */
final class Automaton {
  static final int DEAD = 0;

  private final int[][] next; // [state][class]
  private final int[] accept; // rule index or -1
  private final int start;

  private Automaton(int[][] next, int[] accept, int start) {
    this.next = next;
    this.accept = accept;
    this.start = start;
  }

  int start() {
    return start;
  }

  int next(int state, int charClass) {
    return next[state][charClass];
  }

  /** The rule this state accepts, or -1. */
  int accept(int state) {
    return accept[state];
  }

  int stateCount() {
    return next.length;
  }

  static Automaton compile(List<Grammar> rules) {
    Nfa nfa = new Nfa();
    int root = nfa.state();
    for (int r = 0; r < rules.size(); r++) {
      int[] frag = nfa.build(rules.get(r));
      nfa.epsilon(root, frag[0]);
      nfa.accept.set(frag[1], r);
    }
    return determinise(nfa, root);
  }

  private static Automaton determinise(Nfa nfa, int root) {
    int classes = CharClasses.classCount();
    Map<BitSet, Integer> ids = new HashMap<>();
    List<BitSet> sets = new ArrayList<>();
    List<int[]> rows = new ArrayList<>();
    BitSet dead = new BitSet();
    ids.put(dead, 0);
    sets.add(dead);
    rows.add(new int[classes]);
    BitSet first = nfa.closure(single(root));
    ids.put(first, 1);
    sets.add(first);
    rows.add(new int[classes]);
    ArrayDeque<Integer> work = new ArrayDeque<>(List.of(1));
    while (!work.isEmpty()) {
      int id = work.poll();
      BitSet set = sets.get(id);
      for (int c = 0; c < classes; c++) {
        int flags = CharClasses.flagsOfClass(c);
        BitSet moved = new BitSet();
        for (int s = set.nextSetBit(0); s >= 0; s = set.nextSetBit(s + 1)) {
          Grammar.Chars edge = nfa.edge.get(s);
          if (edge != null && edge.test().test(flags)) moved.set(nfa.edgeTarget.get(s));
        }
        BitSet target = nfa.closure(moved);
        Integer t = ids.get(target);
        if (t == null) {
          t = sets.size();
          ids.put(target, t);
          sets.add(target);
          rows.add(new int[classes]);
          work.add(t);
        }
        rows.get(id)[c] = t;
      }
    }
    int[] accept = new int[sets.size()];
    Arrays.fill(accept, -1);
    for (int i = 0; i < sets.size(); i++) {
      BitSet set = sets.get(i);
      for (int s = set.nextSetBit(0); s >= 0; s = set.nextSetBit(s + 1)) {
        int rule = nfa.accept.get(s);
        if (rule >= 0 && (accept[i] < 0 || rule < accept[i])) accept[i] = rule;
      }
    }
    return new Automaton(rows.toArray(new int[0][]), accept, 1);
  }

  private static BitSet single(int s) {
    BitSet b = new BitSet();
    b.set(s);
    return b;
  }

  /** Thompson NFA: each state has epsilon moves and at most one class edge. */
  private static final class Nfa {
    final List<List<Integer>> eps = new ArrayList<>();
    final List<Grammar.Chars> edge = new ArrayList<>();
    final List<Integer> edgeTarget = new ArrayList<>();
    final List<Integer> accept = new ArrayList<>();

    int state() {
      eps.add(new ArrayList<>());
      edge.add(null);
      edgeTarget.add(-1);
      accept.add(-1);
      return eps.size() - 1;
    }

    void epsilon(int from, int to) {
      eps.get(from).add(to);
    }

    /** Builds a fragment; returns {entry, exit}. */
    int[] build(Grammar g) {
      int in = state();
      int out = state();
      if (g instanceof Grammar.Chars chars) {
        edge.set(in, chars);
        edgeTarget.set(in, out);
      } else if (g instanceof Grammar.Seq seq) {
        int at = in;
        for (Grammar part : seq.parts()) {
          int[] f = build(part);
          epsilon(at, f[0]);
          at = f[1];
        }
        epsilon(at, out);
      } else if (g instanceof Grammar.Alt alt) {
        for (Grammar option : alt.options()) {
          int[] f = build(option);
          epsilon(in, f[0]);
          epsilon(f[1], out);
        }
      } else if (g instanceof Grammar.Star star) {
        int[] f = build(star.body());
        epsilon(in, f[0]);
        epsilon(in, out);
        epsilon(f[1], f[0]);
        epsilon(f[1], out);
      }
      return new int[] {in, out};
    }

    BitSet closure(BitSet states) {
      BitSet seen = (BitSet) states.clone();
      ArrayDeque<Integer> work = new ArrayDeque<>();
      for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) work.add(s);
      while (!work.isEmpty()) {
        for (int t : eps.get(work.poll())) {
          if (!seen.get(t)) {
            seen.set(t);
            work.add(t);
          }
        }
      }
      return seen;
    }
  }
}

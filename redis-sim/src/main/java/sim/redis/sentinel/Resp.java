package sim.redis.sentinel;

import java.util.ArrayList;
import java.util.List;

/** Just enough RESP2 reading for the answers a sentinel gets: a bulk string, a flat array of scalars. */
final class Resp {
  private Resp() {}

  static String bulk(String resp) {
    int nl = resp.indexOf("\r\n");
    int len = Integer.parseInt(resp.substring(1, nl));
    return len < 0 ? "" : resp.substring(nl + 2, nl + 2 + len);
  }

  /** The elements of an array of integers and bulk strings, as strings; null if it is not one. */
  static List<String> array(String resp) {
    if (!resp.startsWith("*")) return null;
    int pos = resp.indexOf("\r\n");
    int n = Integer.parseInt(resp.substring(1, pos));
    pos += 2;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int nl = resp.indexOf("\r\n", pos);
      char type = resp.charAt(pos);
      String head = resp.substring(pos + 1, nl);
      if (type == '$') {
        int len = Integer.parseInt(head);
        out.add(resp.substring(nl + 2, nl + 2 + len));
        pos = nl + 2 + len + 2;
      } else {
        out.add(head);
        pos = nl + 2;
      }
    }
    return out;
  }
}

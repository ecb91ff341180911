package sim.zk.tree;

/** {@code org.apache.zookeeper.common.PathUtils}: what a valid znode path is. */
public final class Paths {
  private Paths() {}

  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static String child(String parent, String name) {
    return parent.equals("/") ? "/" + name : parent + "/" + name;
  }

  /** Null when valid, else the reason, following {@code PathUtils.validatePath(path, isSequential)}. */
  public static String invalidReason(String path, boolean sequential) {
    if (path == null) return "Path cannot be null";
    if (path.isEmpty()) return "Path length must be > 0";
    if (path.charAt(0) != '/') return "Path must start with / character";
    if (path.length() == 1) return null;
    if (path.charAt(path.length() - 1) == '/' && !sequential) return "Path must not end with / character";
    String check = sequential ? path + "1" : path;
    char last = '/';
    for (int i = 1; i < check.length(); i++) {
      char c = check.charAt(i);
      if (c == 0) return "null character not allowed @" + i;
      if (c == '/' && last == '/') return "empty node name specified @" + i;
      if (c == '.' && last == '.' && (check.charAt(i - 2) == '/' && (i + 1 == check.length() || check.charAt(i + 1) == '/'))) {
        return "relative paths not allowed @" + i;
      }
      if (c == '.' && check.charAt(i - 1) == '/' && (i + 1 == check.length() || check.charAt(i + 1) == '/')) {
        return "relative paths not allowed @" + i;
      }
      if (c > '\u0000' && c <= '\u001f' || c >= '\u007f' && c <= '\u009F' || c >= '\ud800' && c <= '\uf8ff' || c >= '\ufff0') {
        return "invalid character @" + i;
      }
      last = c;
    }
    return null;
  }
}

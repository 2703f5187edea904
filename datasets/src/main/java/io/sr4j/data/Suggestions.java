package io.sr4j.data;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.lang3.StringUtils;

/** "Did you mean ...?": the known names closest to a misspelt one, by Levenshtein distance (Commons Lang). */
public final class Suggestions {
  private Suggestions() {}

  /** The candidate closest to {@code word} (ignoring case) if it is close enough to be a likely typo, else null. */
  public static String closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
  }

  /** The {@code n} candidates closest to {@code word}, closest first. */
  public static List<String> closest(String word, Collection<String> candidates, int n) {
    return candidates.stream().sorted(Comparator.comparingInt((String c) -> distance(word, c))).limit(n).toList();
  }

  private static int distance(String a, String b) {
    return StringUtils.getLevenshteinDistance(a.toLowerCase(Locale.ROOT), b.toLowerCase(Locale.ROOT));
  }
}

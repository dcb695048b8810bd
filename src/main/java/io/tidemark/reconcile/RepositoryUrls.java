package io.tidemark.reconcile;

import java.util.Collection;
import java.util.Locale;

/**
 * Tells whether two spellings of a remote name the same repository: {@code
 * https://host/owner/repo.git}, {@code git@host:owner/repo}, {@code ssh://git@host:22/owner/repo}
 * and a webhook payload's {@code html_url} all come down to {@code host/owner/repo}.
 */
final class RepositoryUrls {

  private RepositoryUrls() {}

  /** Whether {@code configured} names the same repository as any of {@code candidates}. */
  static boolean sameRepository(String configured, Collection<String> candidates) {
    String key = key(configured);
    return candidates.stream().map(RepositoryUrls::key).anyMatch(key::equals);
  }

  /**
   * {@code host/path}, lower case, without scheme, user, port, {@code .git} or slashes at the end.
   */
  static String key(String url) {
    String u = url.strip();
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      u = u.substring(scheme + 3);
    } else if (u.matches("[^/@]+@[^/:]+:.*")) {
      u = u.replaceFirst(":", "/"); // scp-like git@host:owner/repo
    }
    int at = u.indexOf('@');
    int slash = u.indexOf('/');
    if (at >= 0 && (slash < 0 || at < slash)) {
      u = u.substring(at + 1);
      slash = u.indexOf('/');
    }
    String host = slash < 0 ? u : u.substring(0, slash);
    String path = slash < 0 ? "" : u.substring(slash);
    host = host.replaceFirst(":\\d+$", "");
    path = path.replaceAll("/+$", "").replaceFirst("\\.git$", "").replaceAll("/+$", "");
    return (host + path).toLowerCase(Locale.ROOT);
  }
}

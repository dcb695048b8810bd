package io.tidemark.cluster.kubernetes.helm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the chart repositories and registries whose URL starts with {@code urlPrefix}: a
 * user name and a password or token (read from a file by the caller), and whether an {@code oci://}
 * registry is spoken to over plain HTTP. Its string form never shows the password.
 */
public record RepositoryCredentials(
    String urlPrefix, Optional<String> username, Optional<String> password, boolean plainHttp) {

  public RepositoryCredentials {
    Objects.requireNonNull(urlPrefix, "urlPrefix");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    while (urlPrefix.endsWith("/")) {
      urlPrefix = urlPrefix.substring(0, urlPrefix.length() - 1);
    }
  }

  /** Whether these credentials apply to {@code url}: the same URL or one under it. */
  public boolean covers(String url) {
    return url.equals(urlPrefix) || url.startsWith(urlPrefix + "/");
  }

  /** Whether there is something to authenticate with. */
  public boolean present() {
    return password.isPresent();
  }

  /** The value of an {@code Authorization: Basic} header, when a password is set. */
  Optional<String> basic() {
    return password.map(
        p ->
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (username.orElse("") + ":" + p).getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "RepositoryCredentials[urlPrefix="
        + urlPrefix
        + ", username="
        + username.orElse("-")
        + ", password="
        + (password.isPresent() ? "<set>" : "-")
        + ", plainHttp="
        + plainHttp
        + "]";
  }
}

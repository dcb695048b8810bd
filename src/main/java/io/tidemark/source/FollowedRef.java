package io.tidemark.source;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/** The ref a {@link GitSource} follows: a branch, a tag, or a pinned commit. */
public sealed interface FollowedRef {

  /** How {@link GitSource#ref()} shows it: {@code main}, {@code tags/v1} or a commit id. */
  String display();

  /** How error messages name it: {@code branch 'main'}. */
  String describe();

  /** Whether a push to {@code refName} (full or short name) moves this ref. */
  boolean isMovedBy(String refName);

  static FollowedRef branch(String name) {
    return new Branch(name);
  }

  static FollowedRef tag(String name) {
    return new Tag(name);
  }

  static FollowedRef commit(String id) {
    return new Commit(id);
  }

  /** A branch, fetched to {@code refs/remotes/origin/NAME}. */
  record Branch(String name) implements FollowedRef {
    public Branch {
      requireRefName(name, "refs/heads/", "branch");
    }

    @Override
    public String display() {
      return name;
    }

    @Override
    public String describe() {
      return "branch '" + name + "'";
    }

    @Override
    public boolean isMovedBy(String refName) {
      return ("refs/heads/" + name).equals(refName) || name.equals(refName);
    }
  }

  /** A tag, lightweight or annotated; a moved (force-pushed) tag is followed too. */
  record Tag(String name) implements FollowedRef {
    public Tag {
      requireRefName(name, "refs/tags/", "tag");
    }

    @Override
    public String display() {
      return "tags/" + name;
    }

    @Override
    public String describe() {
      return "tag '" + name + "'";
    }

    @Override
    public boolean isMovedBy(String refName) {
      return ("refs/tags/" + name).equals(refName) || display().equals(refName);
    }
  }

  /** A commit id (abbreviated from 7 hex digits), which no push ever moves. */
  record Commit(String id) implements FollowedRef {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{7,40}");

    public Commit {
      Objects.requireNonNull(id, "id");
      id = id.trim().toLowerCase(Locale.ROOT);
      if (!HEX.matcher(id).matches()) {
        throw new IllegalArgumentException("commit must be 7 to 40 hex digits: '" + id + "'");
      }
    }

    @Override
    public String display() {
      return id;
    }

    @Override
    public String describe() {
      return "commit '" + id + "'";
    }

    @Override
    public boolean isMovedBy(String refName) {
      return false;
    }
  }

  private static void requireRefName(String name, String prefix, String kind) {
    Objects.requireNonNull(name, kind);
    if (name.isBlank() || !Repository.isValidRefName(prefix + name)) {
      throw new IllegalArgumentException("not a valid " + kind + " name: '" + name + "'");
    }
  }
}

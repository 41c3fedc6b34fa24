package dev.certops.imports;

import java.util.List;
import java.util.Optional;

/**
 * One certificate another tool manages, as certops will take it: an id, its names, key type, the
 * CA directory it was issued from, how it proved control (to map onto certops' challenge settings,
 * or to explain in a comment), and every version found with its key.
 *
 * @param challenge a ready certops {@code challenge:} value, when certops has an equivalent on this workspace
 * @param notes     what certops cannot set by itself, for comments in the proposed entry
 */
public record Lineage(String id, String source, List<String> names, Optional<String> keyType, Optional<String> caDirectory, Optional<String> challenge,
                      List<String> notes, List<ImportedVersion> versions) { }

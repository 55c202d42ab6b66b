package io.weft.core.api;

import io.weft.schemas.models.ModelAliasChanged;

/**
 * What {@link ModelRegistry#promote} did.
 *
 * @param promoted whether {@code production} now points at the candidate because of this call
 * @param change the alias record written, or null when not promoted
 * @param reason why, e.g. {@code version 3 accuracy 0.95 beats production version 2 accuracy 0.93}
 *     or {@code already production}
 */
public record Promotion(boolean promoted, ModelAliasChanged change, String reason) {}

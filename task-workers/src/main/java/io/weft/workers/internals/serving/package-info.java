/**
 * Internals of the inference service: the reference-counted model slots and their hot swap ({@code
 * ModelSlot}, {@code ServedModel}, {@code ServedModels}), loading from the artifact store ({@code
 * ArtifactModelLoader}, {@code DjlClassifier}), request parsing and the HTTP endpoints ({@code
 * InferRequestParser}, {@code V2Path}, {@code InferenceHandler}). Not a public API.
 */
package io.weft.workers.internals.serving;

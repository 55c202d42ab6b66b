/**
 * The inference service: {@link io.weft.serving.InferenceServer} answers the KServe Open Inference
 * Protocol v2 (REST/JSON, and gRPC with {@code serve.grpc.port}) with the {@code production}
 * version of each registered model, following the model registry's aliases and swapping versions
 * without failing requests in flight; {@link io.weft.serving.InferenceConfig} declares its
 * settings.
 */
package io.weft.serving;

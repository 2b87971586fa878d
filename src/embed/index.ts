/** Public API of face and text embeddings and the privacy-preserving release. */
export { FaceEmbedder, FACE_MODEL, FACE_PACKAGES, humanAssetsDir, type FaceResult } from "./face.ts";
export { decodeImage, cropImage, type RgbImage } from "./image.ts";
export { readImageList, embedFacesIntoStore, type ImageEntry } from "./face-store.ts";
export { fitTfidfSvd, transformTfidfSvd, type TfidfSvdModel } from "./tfidf-svd.ts";
export { embedTextsIntoStore, descriptionDocs } from "./text-store.ts";
export { OrthogonalTransform, randomOrthogonal, newPrivacyKey, readPrivacyKey, writePrivacyKey, type PrivacyKey } from "./privacy.ts";
export { prepareRelease, type ReleaseOptions, type ReleaseSummary } from "./release.ts";

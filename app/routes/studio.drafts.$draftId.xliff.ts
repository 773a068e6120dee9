// A draft's texts as a translators' file: the version's route, read from the draft's params.
export { loader } from "./studio.cases.$slug.versions.$version.xliff";

// `require("probot/lib/context")`, as Probot 7–9 apps and their tests wrote it.
export { Context } from "../../context/context.js";

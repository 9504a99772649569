// `require("probot/lib/application")`, as Probot 7–9 apps and their tests wrote it.
export { Application, type ApplicationOptions } from "../application.js";

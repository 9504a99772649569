import { unsupported } from "./probot-members.js";

/**
 * `app.app`: in Probot 9 a function returning the app's JWT; in Probot 11's betas the app
 * itself, as app functions written `({ app }) => app.on(…)` (probot/dco) read it. Both kinds
 * of app run: every property is the app's, and calling it refuses, naming `app.auth()`.
 */
export function appAlias<T extends object>(app: T): T {
  const call = () => {
    throw unsupported(
      "app.app() (Probot 9's JWT)",
      "use app.auth() for a client authenticated as the app",
    );
  };
  return new Proxy(call, {
    get(_target, property) {
      const value = Reflect.get(app, property, app) as unknown;
      // A method of the class reads `this`; a getter's value (the callable `log`) and own
      // properties are handed out as they are.
      return isMethod(app, property)
        ? Function.prototype.bind.call(value as () => unknown, app)
        : value;
    },
    set: (_target, property, value) => Reflect.set(app, property, value, app),
    has: (_target, property) => Reflect.has(app, property),
  }) as unknown as T;
}

function isMethod(object: object, property: PropertyKey): boolean {
  for (
    let at: object | null = object;
    at !== null;
    at = Object.getPrototypeOf(at) as object | null
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(at, property);
    if (descriptor) return at !== object && typeof descriptor.value === "function";
  }
  return false;
}

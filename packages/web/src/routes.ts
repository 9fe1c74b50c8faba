import type { Factor } from "./config";
import type { Notice } from "./notice";

/** Who may see a screen: the others are redirected (to sign in, or to their profile). */
type Access = "signed-in" | "signed-out" | "any";

/** Every screen with its own address. A new screen is one entry here and a case in app.tsx. */
export const pages = {
  "sign-in": { path: "/sign-in", title: "Sign in", access: "signed-out" },
  "sign-in-method": {
    path: "/sign-in-method",
    title: "Choose how to sign in",
    access: "signed-out",
  },
  "sign-in-code": { path: "/sign-in-code", title: "Check your email", access: "signed-out" },
  "sign-in-totp": {
    path: "/sign-in-totp",
    title: "Two-factor authentication",
    access: "signed-out",
  },
  "sign-up": { path: "/sign-up", title: "Create your account", access: "signed-out" },
  confirm: { path: "/confirm", title: "Confirm your email", access: "signed-out" },
  "forgot-password": {
    path: "/forgot-password",
    title: "Reset your password",
    access: "signed-out",
  },
  profile: { path: "/profile", title: "Your profile", access: "signed-in" },
  "change-password": { path: "/change-password", title: "Change password", access: "signed-in" },
  "change-email": { path: "/change-email", title: "Change email", access: "signed-in" },
  "verify-email": { path: "/verify-email", title: "Verify your new email", access: "signed-in" },
  passkeys: { path: "/passkeys", title: "Passkeys", access: "signed-in" },
  "two-factor": {
    path: "/two-factor",
    title: "Two-factor authentication",
    access: "signed-in",
  },
} as const satisfies Record<string, { path: string; title: string; access: Access }>;

export type PageName = keyof typeof pages;
type PageOf<A extends Access> = {
  [N in PageName]: (typeof pages)[N]["access"] extends A ? N : never;
}[PageName];
/** Screens behind sign-in: where a visitor who was sent to sign in goes back to. */
export type SignedInPage = PageOf<"signed-in">;

export type Route =
  | { name: "sign-in"; email?: string; notice?: Notice; next?: SignedInPage }
  | {
      name: "sign-in-method";
      email?: string;
      factors?: Factor[];
      notice?: Notice;
      next?: SignedInPage;
    }
  | { name: "sign-in-code"; email: string; notice?: Notice; next?: SignedInPage }
  | { name: "sign-in-totp"; next?: SignedInPage }
  | { name: "sign-up"; email?: string }
  | { name: "confirm"; email: string; password?: string; notice?: Notice }
  | { name: "forgot-password"; email?: string }
  | { name: "profile"; notice?: Notice }
  | { name: "change-password" }
  | { name: "change-email" }
  | { name: "verify-email"; email?: string; notice?: Notice }
  | { name: "two-factor" }
  | { name: "passkeys" }
  | { name: "not-found" };

export type Navigate = (route: Route) => void;

export const APP_NAME = "User Profile";

export function titleOf(route: Route): string {
  const title = route.name === "not-found" ? "Page not found" : pages[route.name].title;
  return `${title} · ${APP_NAME}`;
}

/** What travels with a history entry in memory: never in the URL (passwords, messages). */
export type Extras = Partial<{
  email: string;
  password: string;
  notice: Notice;
  factors: Factor[];
}>;

/** Screens whose email is in the URL (a reload or a link keeps it), not only in memory. */
const EMAIL_IN_URL = new Set<Route["name"]>(["confirm", "verify-email", "sign-in-code"]);

/** The URL of a route: its path, and only what a reload or a shared link should keep. */
export function urlOf(route: Route): string {
  if (route.name === "not-found") throw new Error("The not-found screen has no URL of its own.");
  const query = new URLSearchParams();
  if (EMAIL_IN_URL.has(route.name) && "email" in route && route.email) {
    query.set("email", route.email);
  }
  if ("next" in route && route.next) query.set("next", pages[route.next].path);
  const search = query.toString();
  return search ? `${pages[route.name].path}?${search}` : pages[route.name].path;
}

export function extrasOfRoute(route: Route): Extras {
  const extras: Extras = {};
  if ("email" in route && route.email && !EMAIL_IN_URL.has(route.name)) extras.email = route.email;
  if ("factors" in route && route.factors) extras.factors = route.factors;
  if ("password" in route && route.password) extras.password = route.password;
  if ("notice" in route && route.notice) extras.notice = route.notice;
  return extras;
}

const byPath = new Map(
  (Object.keys(pages) as PageName[]).map((name) => [pages[name].path as string, name]),
);

function signedInPageAt(path: string | null): SignedInPage | undefined {
  const name = path ? byPath.get(path) : undefined;
  return name && pages[name].access === "signed-in" ? (name as SignedInPage) : undefined;
}

/** The route at a URL, with what its history entry holds; "home" is `/`, which has no screen. */
export function routeAt(path: string, search: string, extras: Extras = {}): Route | "home" {
  if (path === "/" || path === "") return "home";
  const name = byPath.get(path.length > 1 ? path.replace(/\/$/, "") : path);
  const query = new URLSearchParams(search);
  const { email, password, notice, factors } = extras;
  const next = signedInPageAt(query.get("next"));
  switch (name) {
    case undefined:
      return { name: "not-found" };
    case "sign-in": {
      return {
        name,
        ...(email ? { email } : {}),
        ...(notice ? { notice } : {}),
        ...(next ? { next } : {}),
      };
    }
    case "sign-in-method":
      return {
        name,
        ...(email ? { email } : {}),
        ...(factors ? { factors } : {}),
        ...(notice ? { notice } : {}),
        ...(next ? { next } : {}),
      };
    case "sign-in-code":
      return {
        name,
        email: query.get("email") ?? "",
        ...(notice ? { notice } : {}),
        ...(next ? { next } : {}),
      };
    case "sign-in-totp":
      return { name, ...(next ? { next } : {}) };
    case "confirm":
      return {
        name,
        email: query.get("email") ?? "",
        ...(password ? { password } : {}),
        ...(notice ? { notice } : {}),
      };
    case "profile":
      return { name, ...(notice ? { notice } : {}) };
    case "verify-email":
      return { name, email: query.get("email") ?? "", ...(notice ? { notice } : {}) };
    case "change-password":
    case "change-email":
    case "two-factor":
    case "passkeys":
      return { name };
    default:
      return { name, ...(email ? { email } : {}) };
  }
}

/**
 * The screen to show at a location and the URL it belongs at. `/` goes to
 * sign-in or to the profile; a signed-out visitor to a signed-in screen signs
 * in first and comes back; a signed-in one skips the sign-in screens.
 */
export function resolve(
  location: { path: string; search: string },
  extras: Extras | undefined,
  signedIn: boolean,
): { route: Route; url: string } {
  const found = routeAt(location.path, location.search, extras);
  let route: Route;
  if (found === "home") route = signedIn ? { name: "profile" } : { name: "sign-in" };
  else if (found.name === "not-found") {
    return { route: found, url: `${location.path}${location.search}` };
  } else if (pages[found.name].access === "signed-in" && !signedIn) {
    route = { name: "sign-in", next: found.name as SignedInPage };
  } else if (pages[found.name].access === "signed-out" && signedIn) {
    route = { name: "next" in found && found.next ? found.next : "profile" };
  } else route = found;
  return { route, url: urlOf(route) };
}

/** The pages the build prerenders, by the file that answers their path (404.html: any other path). */
export const prerenderedPages: { file: string; path: string }[] = [
  { file: "index.html", path: pages["sign-in"].path },
  ...(Object.keys(pages) as PageName[]).map((name) => ({
    file: `${pages[name].path.slice(1)}.html`,
    path: pages[name].path,
  })),
  { file: "404.html", path: "/404" },
];

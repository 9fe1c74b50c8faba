import type { Notice } from "./components/ui";

export type Route =
  | { name: "loading" }
  | { name: "sign-in"; email?: string; notice?: Notice }
  | { name: "sign-up"; email?: string }
  | { name: "confirm"; email: string; password?: string; notice?: Notice }
  | { name: "forgot-password"; email?: string }
  | { name: "profile"; notice?: Notice };

export type Navigate = (route: Route) => void;

import { AppLink } from "../components/links";
import { Screen } from "../components/screen";

export function NotFound() {
  return (
    <Screen
      title="Page not found"
      intro="There's no page at this address. The link may be mistyped or out of date."
    >
      <p>
        <AppLink href="/">Go to the home page</AppLink>
      </p>
    </Screen>
  );
}

import type { AppModel } from './model';
import { Avatar } from './components';
import { Logo } from './icons';

/** The bar above the screens before and after a call: the logo (home) and who is signed in. */
export function Header({ model, showAccount = true }: { model: AppModel; showAccount?: boolean }) {
  const user = model.user.value;
  return (
    <header class="top-bar">
      <a class="skip-link" href="#main">Skip to content</a>
      <a class="brand" href="/" onClick={(e) => { e.preventDefault(); model.home(); }}>
        <Logo size={30} />
        <span>Parley</span>
      </a>
      {showAccount && (
        <div class="account">
          {user ? (
            <>
              <span class="account-name"><Avatar name={user.displayName} seed={user.displayName} size={30} />
                <span class="account-label">{user.displayName}</span></span>
              <button type="button" class="button text" onClick={() => model.signOut()}>Sign out</button>
            </>
          ) : (
            <button type="button" class="button secondary" onClick={() => model.signIn()}>Sign in</button>
          )}
        </div>
      )}
    </header>
  );
}
